// Measures whether a rendered report fits the width of the window (of the page, when printing),
// and returns each problem as a sentence: the page wider than the window, and a table that
// reaches past it. On a screen a table may be wider than the page inside a box that scrolls
// (div.scroll); printed, nothing scrolls, so every table must fit. Used by tests/test_browser.py.
async () => {
  await document.fonts.ready;
  const problems = [];
  const width = window.innerWidth;
  const slack = 0.5;  // a fraction of a pixel is rounding, not overflow
  const page = document.documentElement.scrollWidth;
  if (page > width) problems.push(`the page is ${page} px wide in a window of ${width} px`);
  const scrolls = element =>
    ['auto', 'scroll'].includes(getComputedStyle(element).overflowX) && element.clientWidth > 0;
  for (const table of document.querySelectorAll('table')) {
    const name = table.caption?.textContent.trim().slice(0, 60) ?? 'a table without a caption';
    let box = table.parentElement;
    while (box !== document.body && !scrolls(box)) box = box.parentElement;
    const edge = box === document.body ? table : box;
    const right = edge.getBoundingClientRect().right;
    if (right > width + slack)
      problems.push(`"${name}" reaches ${Math.round(right)} px, past the window's ${width} px`);
  }
  return problems;
}
