// Video facades (components/blocks/video.html): the page shows our own poster, linked
// to the video on its host. Only when the visitor clicks does the host's player load,
// in place of the poster, with keyboard focus moved into it. Without JavaScript the
// link opens the video on the host. Included once per video: the guard runs it once.
(function () {
  "use strict";
  var root = document.documentElement;
  if (root.hasAttribute("data-video-facades")) return;
  root.setAttribute("data-video-facades", "");

  document.addEventListener("click", function (event) {
    // A new tab or window (modifier keys, middle click) keeps the link's own job.
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
      return;
    }
    var link = event.target.closest && event.target.closest("a[data-video-embed]");
    var src = link && link.getAttribute("data-video-embed");
    if (!src || src.indexOf("https://") !== 0) return;
    event.preventDefault();

    var player = document.createElement("iframe");
    player.className = "video__player";
    player.src = src;
    player.title = link.getAttribute("data-video-title") || link.textContent.trim();
    player.allow = "autoplay; encrypted-media; fullscreen; picture-in-picture";
    player.allowFullscreen = true;
    // The site sends no referrer to other origins, but YouTube's player refuses to
    // play without one: send the origin only.
    player.referrerPolicy = "strict-origin-when-cross-origin";
    link.replaceWith(player);
    player.focus();
  });
})();
