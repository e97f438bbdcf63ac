"""The page's CSS and script. Colours are chosen for WCAG AA (at least 4.5:1 for text and buttons, measured
in tests/test_browser.py); tables scroll inside their own box on a phone instead of overlapping.

The script gives every radio group one name and a legend, and opens the CCL browser from any ``data-ccl``
link (a suggestion's ECCN, a cross-reference in
the regulation text): it types the id into the browser's search box and presses Search.
"""

from __future__ import annotations

INK = "#1f2937"  # body text on white: 14.7:1
ACCENT = "#1d4ed8"  # buttons (white text 6.7:1), the selected tab, links (6.7:1 on white)

CSS = f"""
.gradio-container {{ color: {INK}; }}
button.primary, .primary {{
  background: {ACCENT} !important; color: #ffffff !important; border-color: {ACCENT} !important;
}}
button.primary:hover {{ background: #1e40af !important; }}
button.secondary {{ color: {INK} !important; }}
button[role="tab"] {{ color: {INK} !important; }}
button[role="tab"][aria-selected="true"], button.selected {{
  color: {ACCENT} !important; border-color: {ACCENT} !important;
}}
button.label-clear-button {{ color: {INK} !important; }}
footer, footer * {{ color: #374151 !important; opacity: 1 !important; }}
a, .ccl-link {{ color: {ACCENT}; }}
h1.title {{ font-size: 1.5rem; margin: 0 0 4px 0; }}
.notice {{ border-left: 4px solid #b45309; padding: 6px 10px; background: #fffbeb; color: {INK}; }}
.card {{ border: 2px solid {ACCENT}; border-radius: 8px; padding: 10px 14px; margin: 0 0 8px 0; background: #ffffff; }}
.card h2.answer {{ font-size: 1.6rem; margin: 0; overflow-wrap: anywhere; }}
.card .confidence {{ font-size: 1rem; font-weight: normal; }}
.card .headline {{ font-weight: 600; margin: 4px 0; overflow-wrap: anywhere; }}
.card .license {{ margin: 4px 0; padding: 4px 8px; border-radius: 4px; background: #f3f4f6; }}
.card .license-required {{ background: #fee2e2; }}
.card .license-review {{ background: #fef3c7; }}
.card .license-not-required {{ background: #dcfce7; }}
.card .decided {{ background: #fef3c7; padding: 4px 8px; border-radius: 4px; }}
.card details.next summary {{ font-weight: 600; cursor: pointer; }}
h2.section {{ font-size: 1.2rem; margin: 12px 0 4px 0; }}
.suggestion {{
  border: 1px solid #d1d5db; border-radius: 8px; padding: 8px 12px; margin: 8px 0; overflow-wrap: anywhere;
}}
.suggestion h3 {{ font-size: 1.05rem; margin: 0 0 4px 0; }}
.bar {{ background: #e5e7eb; height: 10px; border-radius: 4px; width: 100%; max-width: 420px; }}
.bar .fill {{ background: {ACCENT}; height: 10px; border-radius: 4px; }}
.bar-label {{ margin: 2px 0; font-size: 0.9rem; }}
mark {{ background: #fde68a; color: #111827; }}
.scroll {{ overflow-x: auto; max-width: 100%; }}
table.findings td {{ vertical-align: top; padding: 4px; }}
.sr {{ position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }}
.ccl-entry {{ overflow-wrap: anywhere; max-width: 100%; }}
.ccl-entry .para {{ margin: 2px 0; }}
.ccl-entry .para.current {{ background: #fef3c7; border-left: 4px solid #b45309; padding-left: 6px; }}
.ccl-hit {{ border-bottom: 1px solid #e5e7eb; padding: 6px 0; overflow-wrap: anywhere; }}
.ccl-hit .context {{ color: #374151; font-size: 0.9rem; }}
#answer-card, #suggestions, #findings, #license, #ccl-shown, #batch-summary {{ min-width: 0; max-width: 100%; }}
@media (max-width: 640px) {{ .card h2.answer {{ font-size: 1.3rem; }} h1.title {{ font-size: 1.25rem; }} }}
"""

SCRIPT = """
() => {
  // Gradio names each radio input on its own and labels the group with a span: make each group one
  // named group with a legend, so assistive technology reads it as one question.
  const groups = () => document.querySelectorAll('fieldset').forEach((set, n) => {
    const radios = set.querySelectorAll('input[type="radio"]');
    if (!radios.length) return;
    radios.forEach(r => { r.name = (set.id || 'group-' + n) + '-choice'; });
    const info = set.querySelector('[data-testid="block-info"]');
    if (info && !set.querySelector(':scope > legend')) {
      const legend = document.createElement('legend');
      legend.className = 'sr';
      legend.textContent = info.textContent;
      set.prepend(legend);
      info.setAttribute('aria-hidden', 'true');
    }
  });
  new MutationObserver(groups).observe(document.body, { childList: true, subtree: true });
  groups();
  document.addEventListener('click', (event) => {
    const link = event.target.closest('[data-ccl]');
    if (!link) return;
    event.preventDefault();
    const tabs = Array.from(document.querySelectorAll('button[role="tab"]'));
    const tab = tabs.find(b => b.textContent.includes('CCL browser'));
    if (tab) tab.click();
    setTimeout(() => {
      const box = document.querySelector('#ccl-query textarea, #ccl-query input');
      const button = document.querySelector('#ccl-search');
      if (!box || !button) return;
      box.value = link.dataset.ccl;
      box.dispatchEvent(new Event('input', { bubbles: true }));
      setTimeout(() => button.click(), 50);
    }, 150);
  });
}
"""
