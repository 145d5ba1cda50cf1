// The import pages: refuse an oversized file before it is sent, and follow a running job
// (job_progress.js).
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
  window.jemputFollowJob({
    url: box.dataset.url, prefix: "job", every: 1000,
    job: function (data) { return data; },
    ended: function (job) { return job.status === "done" || job.status === "failed"; },
  });
})();
