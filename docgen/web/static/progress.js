// Progress of a running job: asks the server every half second, reloads the page when done.
(function () {
  var box = document.getElementById("running");
  if (!box) { return; }
  var bar = document.getElementById("bar");
  var count = document.getElementById("count");
  function poll() {
    fetch(box.dataset.status, {credentials: "same-origin"})
      .then(function (r) { return r.json(); })
      .then(function (s) {
        if (s.state !== "running") { window.location.reload(); return; }
        if (s.total > 0) {
          bar.max = s.total;
          bar.value = s.done;
          count.textContent = s.done + " / " + s.total;
        }
        setTimeout(poll, 500);
      })
      .catch(function () { setTimeout(poll, 2000); });
  }
  poll();
})();
