// The import pages: refuse an oversized file before it is sent, and follow a running job.
(function () {
  "use strict";
  var form = document.getElementById("upload-form");
  if (form) {
    form.addEventListener("submit", function (event) {
      var file = form.elements.berkas.files[0];
      if (file && file.size > Number(form.dataset.maxBytes)) {
        event.preventDefault();
        var error = document.getElementById("upload-error");
        error.textContent = form.dataset.tooLarge;
        error.hidden = false;
      }
    });
  }

  var box = document.getElementById("job");
  if (!box || ["queued", "running"].indexOf(box.dataset.status) < 0) return;
  var bar = document.getElementById("job-progress");
  var status = document.getElementById("job-status");
  var message = document.getElementById("job-message");
  function poll() {
    fetch(box.dataset.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (job) {
        if (job && (job.status === "done" || job.status === "failed")) {
          window.location.reload();  // the server renders the result
          return;
        }
        if (job) {
          bar.value = job.percent;
          bar.textContent = job.percent + "%";
          status.textContent = job.status_label;
          if (job.message) message.textContent = job.message;
        }
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 2000); });
  }
  window.setTimeout(poll, 1000);
})();
