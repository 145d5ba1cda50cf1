// Click a header of a table.sortable to sort its rows in the browser; the numbers
// sort by their data-sort value, so "1.234" (Indonesian grouping) sorts as 1234.
document.querySelectorAll("table.sortable").forEach(function (table) {
  table.querySelectorAll("thead th").forEach(function (th, index) {
    th.addEventListener("click", function () {
      var body = table.tBodies[0];
      var ascending = th.getAttribute("aria-sort") !== "ascending";
      table.querySelectorAll("thead th").forEach(function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = a.cells[index], y = b.cells[index];
        var p = x.dataset.sort, q = y.dataset.sort;
        var order = (p !== undefined && q !== undefined)
          ? parseFloat(p) - parseFloat(q)
          : x.textContent.trim().localeCompare(y.textContent.trim(), "id");
        return ascending ? order : -order;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
});
