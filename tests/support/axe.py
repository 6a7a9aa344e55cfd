"""axe-core in the browser tests: WCAG 2.0/2.1/2.2 level A and AA rules on a Playwright page.

The script is the vendored ``static/vendor/axe-core/axe.min.js`` (no network), injected with
``page.add_script_tag(path=...)``. Playwright injects the file's text as an inline ``<script>``,
which the site's strict Content-Security-Policy (``script-src 'self' 'nonce-…'``, no
``'unsafe-inline'``) refuses, so the axe tests open their pages in a context made by
:func:`axe_context`, with ``bypass_csp=True``. Only the injected test script needs that: the
pages' own scripts load from /static/ under the same policy either way, and the CSP itself is
asserted by tests/security.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

AXE_JS = Path(__file__).resolve().parents[2] / "static" / "vendor" / "axe-core" / "axe.min.js"
WCAG_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
IMPACTS = ("critical", "serious", "moderate", "minor")
BLOCKING = ("critical", "serious")

RUN = """async (tags) => {
  const result = await axe.run(document, {
    runOnly: {type: 'tag', values: tags},
    resultTypes: ['violations'],
  });
  return result.violations.map(v => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary})),
  }));
}"""


def axe_context(browser, *, width: int = 1280, height: int = 900, mobile: bool = False):
    """A browser context whose pages accept the injected axe script (see the module note)."""
    options = {"viewport": {"width": width, "height": height}, "locale": "id-ID"}
    if mobile:
        options.update(is_mobile=True, has_touch=True)
    return browser.new_context(bypass_csp=True, **options)


def axe_violations(page, tags: list[str] | None = None) -> list[dict]:
    """Run axe on the page as it stands with ``tags`` (default: WCAG 2.x A/AA); the violations."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    return page.evaluate(RUN, tags or WCAG_AA_TAGS)


def count_by_impact(violations: list[dict]) -> dict[str, int]:
    """Failing elements per impact (each rule counts once per element it flags)."""
    counts = Counter()
    for violation in violations:
        counts[violation["impact"] or "minor"] += len(violation["nodes"])
    return {impact: counts.get(impact, 0) for impact in IMPACTS}


def describe(violations: list[dict]) -> str:
    """A readable list for an assertion message: rule, impact, help and the first elements."""
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({len(v['nodes'])} elements)")
        for node in v["nodes"][:5]:
            lines.append(f"    {node['target']}")
    return "\n".join(lines)


def assert_no_serious_violations(page, label: str) -> dict[str, int]:
    """0 serious or critical violations on the page; returns the counts by impact (printed)."""
    violations = axe_violations(page)
    counts = count_by_impact(violations)
    print(f"axe {label}: {counts}")
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert not blocking, f"{label} ({page.url}):\n{describe(blocking)}"
    return counts
