// The printed list's "In" button (a static file: no inline script under the site's content security policy).
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
