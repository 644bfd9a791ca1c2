// The header's menu, search and languages (<details>, templates/base.html): the
// search field takes the focus when its panel opens, and Escape closes an open
// panel and returns to its button. Everything works without this file.
document.querySelectorAll(".site-tool").forEach((tool) => {
  const summary = tool.querySelector("summary");
  tool.addEventListener("toggle", () => {
    const field = tool.open && tool.querySelector("input[type=search]");
    if (field && getComputedStyle(summary).display !== "none") field.focus();
  });
  tool.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && tool.open && getComputedStyle(summary).display !== "none") {
      tool.open = false;
      summary.focus();
    }
  });
});
