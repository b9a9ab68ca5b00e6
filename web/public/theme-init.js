// Applies the saved (or system) theme before first paint, so dark mode never flashes white.
(function () {
  var saved = localStorage.getItem('cerebro-theme');
  var dark = saved ? saved === 'dark' : window.matchMedia('(prefers-color-scheme: dark)').matches;
  document.documentElement.classList.toggle('dark', dark);
})();
