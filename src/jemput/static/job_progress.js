// Follow a background job on a page: show its progress and reload the page when it ends,
// so the server renders the result. Shared by the import pages and the campaign page.
//   url: where the job's JSON is read; prefix: the ids of the page's elements
//   (PREFIX-progress, PREFIX-status, PREFIX-message); job(data): the job in that JSON;
//   ended(job): whether it is over; every: milliseconds between polls.
window.jemputFollowJob = function (options) {
  "use strict";
  var bar = document.getElementById(options.prefix + "-progress");
  var status = document.getElementById(options.prefix + "-status");
  var message = document.getElementById(options.prefix + "-message");
  function poll() {
    fetch(options.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        var job = data && options.job(data);
        if (job && options.ended(job)) {
          window.location.reload();
          return;
        }
        if (job) {
          bar.value = job.percent;
          bar.textContent = job.percent + "%";
          status.textContent = job.status_label;
          if (job.message) message.textContent = job.message;
        }
        window.setTimeout(poll, options.every);
      })
      // A dropped connection (weak office networks): wait longer, then ask again.
      .catch(function () { window.setTimeout(poll, options.every * 2); });
  }
  window.setTimeout(poll, 1000);
};
