"""Signing in and out in a real browser."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import screenshot


def test_operator_signs_in_and_sees_the_dashboard(page_for):
    page = page_for("operator")
    expect(page).to_have_url(page.url.split("/masuk")[0].rstrip("/") + "/")
    expect(page.locator("nav")).to_contain_text("Dasbor")
    screenshot(page, "dasbor-operator")


def test_wrong_password_is_refused_in_indonesian(page_for):
    page = page_for("outsider")
    page.goto("/masuk")
    page.fill("input[name=username]", "operator")
    page.fill("input[name=password]", "salah-sekali-123")
    page.click("button[type=submit]")
    expect(page.locator("body")).to_contain_text("salah")
    assert "/masuk" in page.url


def test_outsider_is_sent_to_sign_in(page_for):
    page = page_for("outsider")
    page.goto("/")
    assert "/masuk" in page.url
