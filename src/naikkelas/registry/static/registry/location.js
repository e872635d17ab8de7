// "Use my current location" on the business form: fills latitude and longitude from the
// device. A static file, not an inline script, so the Content Security Policy can forbid
// inline scripts everywhere.
(function () {
  var button = document.getElementById("use-location");
  if (!button) { return; }
  button.addEventListener("click", function () {
    if (!navigator.geolocation) { button.textContent = button.dataset.error; return; }
    navigator.geolocation.getCurrentPosition(function (pos) {
      document.getElementById("id_latitude").value = pos.coords.latitude.toFixed(6);
      document.getElementById("id_longitude").value = pos.coords.longitude.toFixed(6);
    }, function () { button.textContent = button.dataset.error; });
  });
})();
