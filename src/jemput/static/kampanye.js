// The campaign page: follow a plan job that is waiting or running (job_progress.js).
(function () {
  "use strict";
  var box = document.getElementById("pekerjaan");
  if (!box || box.dataset.active !== "true") return;
  window.jemputFollowJob({
    url: box.dataset.url, prefix: "pekerjaan", every: 2000,
    job: function (data) { return data.job; },
    ended: function (job) { return !job.active; },  // the new plan, or why it failed
  });
})();
