// On every page of a user who registers businesses: install the offline app's service
// worker, and guard logging out. Work queued offline lives on this phone only: logging
// out with items not yet sent asks first, and logging out deletes everything of the app
// from the phone (the volunteer's database, the cached pages), so the next person to use
// the phone finds nothing of theirs. The logout answer's Clear-Site-Data says the same
// to the browser, for a page where this script did not run.
(function () {
  "use strict";
  var script = document.currentScript;
  var user = script.dataset.user;
  if ("serviceWorker" in navigator) {
    // Asked to look for a new version at each page online, so that a deployment reaches
    // the phone on its next visit.
    navigator.serviceWorker.register(script.dataset.sw, { scope: "/", updateViaCache: "none" })
      .then(function (registration) { if (navigator.onLine) { return registration.update(); } })
      .catch(function () { /* no signal: the installed version goes on serving */ });
  }
  function unregister() {
    if (!("serviceWorker" in navigator)) { return Promise.resolve(); }
    return navigator.serviceWorker.getRegistrations().then(function (found) {
      return Promise.all(found.map(function (r) { return r.unregister(); }));
    });
  }
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (!form.matches("form[data-logout]") || form.dataset.cleared) { return; }
    e.preventDefault();
    window.NKStore.unsent(user).then(function (n) {
      if (n > 0 && !window.confirm(script.dataset.unsent.replace("{n}", n))) { return; }
      return window.NKStore.wipe().then(unregister).then(function () {
        form.dataset.cleared = "1";
        form.submit();
      });
    });
  });
})();
