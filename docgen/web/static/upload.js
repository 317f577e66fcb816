// Shows the chosen file's name beside the "Chọn tệp…" button (the browser's own file field is
// hidden: it would speak the browser's language, not the page's).
(function () {
  var input = document.getElementById("upload-file");
  var name = document.getElementById("file-name");
  if (!input || !name) { return; }
  input.addEventListener("change", function () {
    name.textContent = input.files.length ? input.files[0].name : name.dataset.empty;
  });
})();
