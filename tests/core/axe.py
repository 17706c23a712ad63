"""axe-core (vendored in tests/vendor, see its README) run in a Playwright page against the WCAG 2.1 A and AA
rules. The pages' Content-Security-Policy allows only the portal's own scripts, so the contexts that inject axe
are opened with bypass_csp (the portal itself is unchanged)."""

from __future__ import annotations

from pathlib import Path

AXE = Path(__file__).resolve().parent.parent / "vendor" / "axe.min.js"
ETIQUETAS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violaciones(page) -> list[dict]:
    """The WCAG 2.1 A/AA violations axe finds in the page as it is now (each with its rule and nodes)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    return page.evaluate(
        """async (etiquetas) => {
            const r = await axe.run(document, {runOnly: {type: 'tag', values: etiquetas}, resultTypes: ['violations']});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
              nodos: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' + (n.failureSummary || '').split('\\n').slice(0, 3).join(' '))}));
        }""",
        ETIQUETAS,
    )


def describir(violaciones: list[dict]) -> str:
    return "\n".join(f"  [{v['impact']}] {v['id']}: {v['help']}\n    " + "\n    ".join(v["nodos"]) for v in violaciones)
