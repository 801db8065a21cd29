// Measures a rendered report as the browser laid it out, and returns each problem as a sentence:
// chart text outside its SVG viewBox, chart labels overlapping, a label shortened with no <title>
// carrying its full text, and a date, id or share broken across lines. Used by tests/test_browser.py.
async () => {
  await document.fonts.ready;  // measure the text in the font it is shown in
  const problems = [];
  const slack = 0.5;  // a fraction of a pixel is rounding, not clipping
  const overlap = (a, b) =>
    a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
  for (const [i, svg] of [...document.querySelectorAll('svg')].entries()) {
    const name = svg.querySelector('title')?.textContent ?? `chart ${i + 1}`;
    const view = svg.viewBox.baseVal;
    if (!view || view.width === 0) { problems.push(`${name}: no viewBox`); continue; }
    const seen = [];
    for (const text of svg.querySelectorAll('text')) {
      const box = text.getBBox();
      const words = [...text.childNodes].filter(n => n.nodeName !== 'title').map(n => n.textContent).join(' ');
      if (box.x < view.x - slack || box.y < view.y - slack ||
          box.x + box.width > view.x + view.width + slack || box.y + box.height > view.y + view.height + slack)
        problems.push(`${name}: "${words}" falls outside the chart`);
      for (const other of seen)
        if (overlap(box, other.box)) problems.push(`${name}: "${words}" overlaps "${other.words}"`);
      seen.push({box, words});
      if (words.includes('…') && !text.querySelector(':scope > title'))
        problems.push(`${name}: "${words}" is shortened without its full text`);
    }
  }
  // Dates (2026-07-08), months, quarters and ids (QA-2026-0014): words joined by hyphens, one a number;
  // a financial quarter's label, 2026-27 Q2 (Jul-Sep 2026), and a share, 100% (1 of 1), as one value.
  const value = new RegExp(
    String.raw`\b\d{4}-\d{2} Q[1-4] \([A-Z][a-z]{2}(?: \d{4})?-[A-Z][a-z]{2} \d{4}\)` +
    String.raw`|(?<![\w.])\d+% \(\d+ of \d+\)` +
    String.raw`|(?<![\w-])(?=[\w-]*\d)[A-Za-z0-9]+(?:-[A-Za-z0-9]+)+(?![\w-])`, 'g');
  // A value is looked for in the text of each block as a reader sees it, across the inline
  // elements inside it: "<span>2026-27</span> Q2 (Jul-Sep 2026)" is one label, which a line may
  // break after the span.
  const blocks = new Map();
  const blockOf = element => {
    while (element !== document.body && getComputedStyle(element).display.startsWith('inline'))
      element = element.parentElement;
    return element;
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement.closest('svg')) continue;
    const block = blockOf(node.parentElement);
    if (!blocks.has(block)) blocks.set(block, {text: '', parts: []});
    const run = blocks.get(block);
    // Text that touches across elements with no space (an id, then a date after a <br>) is two
    // values, not one: a line break keeps them apart here.
    if (/[\w-]$/.test(run.text) && /^[\w-]/.test(node.data)) run.text += '\n';
    run.parts.push({node, start: run.text.length});
    run.text += node.data;
  }
  const at = (run, index) => {
    const part = run.parts.findLast(p => p.start <= index);
    return [part.node, index - part.start];
  };
  for (const run of blocks.values()) {
    for (const match of run.text.matchAll(value)) {
      const range = document.createRange();
      range.setStart(...at(run, match.index));
      const [node, offset] = at(run, match.index + match[0].length - 1);
      range.setEnd(node, offset + 1);
      const lines = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
      if (lines.size > 1) problems.push(`"${match[0]}" is broken across lines`);
    }
  }
  return problems;
}
