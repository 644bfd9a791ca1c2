// WORKAROUND: English literals of Wagtail 8.0 and wagtail-localize 1.14.5 that no
// catalogue reaches (not wrapped in gettext), translated once drawn. Listed in
// docs/translation.md; remove each when upstream wraps it in gettext.
(() => {
  const gettext = window.gettext || ((text) => text);
  const format = (text, values) =>
    window.interpolate ? window.interpolate(text, values, true) : text;
  // wagtail-localize's editor: `${source} to ${target} translation`.
  const heading = /^(.+) to (.+) translation$/;

  // Only when the text changes, and never by replacing nodes: the observer below
  // would see its own change (React's nodes stay React's).
  function replace(node, property, translated) {
    if (node[property] === translated) return;
    node[property] = translated;
    if (property === "value") node.setAttribute("value", translated);
  }

  function fix(root) {
    // Wagtail's search forms (wagtailadmin/home.html, shared/header.html).
    for (const input of root.querySelectorAll('input[type="submit"][value="Search"]')) {
      replace(input, "value", gettext("Search"));
    }
    for (const title of root.querySelectorAll(".js-translation-editor h3")) {
      const text = title.firstChild;
      const match = title.childNodes.length === 1 && heading.exec(text.nodeValue);
      if (match) {
        const translated = format(gettext("%(source)s to %(target)s translation"), {
          source: match[1],
          target: match[2],
        });
        replace(text, "nodeValue", translated);
      }
    }
    // wagtail-localize's editor footer: the dropdown toggle's hidden label.
    for (const label of root.querySelectorAll(".js-translation-editor .w-sr-only")) {
      if (label.childNodes.length === 1 && label.textContent === "More actions") {
        replace(label.firstChild, "nodeValue", gettext("More actions"));
      }
    }
  }

  function start() {
    fix(document);
    new MutationObserver(() => fix(document)).observe(document.body, {
      childList: true,
      subtree: true,
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
