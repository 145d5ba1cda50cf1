// The campaign page: follow a plan job that is waiting or running, reload when it ends.
(function () {
  "use strict";
  var box = document.getElementById("pekerjaan");
  if (!box || box.dataset.active !== "true") return;
  var bar = document.getElementById("pekerjaan-progress");
  var status = document.getElementById("pekerjaan-status");
  var message = document.getElementById("pekerjaan-message");
  function poll() {
    fetch(box.dataset.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        var job = data && data.job;
        if (job && !job.active) {
          window.location.reload();  // the server renders the new plan, or why it failed
          return;
        }
        if (job) {
          bar.value = job.percent;
          bar.textContent = job.percent + "%";
          status.textContent = job.status_label;
          if (job.message) message.textContent = job.message;
        }
        window.setTimeout(poll, 2000);
      })
      .catch(function () { window.setTimeout(poll, 4000); });
  }
  window.setTimeout(poll, 1000);
})();
