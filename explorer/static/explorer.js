// Claims open the panel of their fact (the same fact in the other articles, side by side) without
// scrolling away from the text, and keep keyboard focus where it is; Space works like Enter.
// Without this script the panels still open, through CSS :target.
document.documentElement.classList.add("js");

function showFact(panelId, claim) {
  document.querySelectorAll(".fact-panel").forEach(function (panel) {
    panel.hidden = panel.id !== panelId;
  });
  document.querySelectorAll(".claim[aria-current]").forEach(function (other) {
    other.removeAttribute("aria-current");
  });
  if (claim) {
    claim.setAttribute("aria-current", "true");
  }
  var hint = document.querySelector(".facts .hint");
  if (hint) {
    hint.hidden = document.getElementById(panelId) !== null;
  }
}

document.addEventListener("click", function (event) {
  var claim = event.target.closest("a.claim");
  if (claim) {
    event.preventDefault();
    showFact(claim.getAttribute("href").slice(1), claim);
  }
});

document.addEventListener("keydown", function (event) {
  if (event.key === " " && event.target.matches && event.target.matches("a.claim")) {
    event.preventDefault();
    event.target.click();
  }
});

if (location.hash.indexOf("#fact-") === 0) {
  showFact(location.hash.slice(1), null);
}
