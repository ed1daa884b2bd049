"""The extension in a real JupyterLab, driven through Debian's Chromium with Playwright.

Each test opens ``snn.ipynb`` (cells: a ``%%snn`` cell, a Python cell, a cell
that displays network summaries) and checks what the extension does there.
"""

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from .conftest import SUMMARY

pytestmark = pytest.mark.slow

#: JavaScript helpers: the open notebook, one cell's node, its language and tokens.
HELPERS = """
window.nb = () => window.jupyterapp.shell.currentWidget.content;
window.cellNode = i => window.nb().widgets[i].node;
window.cellLanguage = i => {
  const content = window.cellNode(i).querySelector('.cm-content');
  return content ? content.dataset.language || null : null;
};
window.snnTokens = i => {
  const tokens = {};
  for (const span of window.cellNode(i).querySelectorAll('[class*="cm-snn-"]')) {
    for (const cls of span.classList) {
      if (cls.startsWith('cm-snn-')) {
        (tokens[cls.slice(7)] = tokens[cls.slice(7)] || []).push(span.textContent);
      }
    }
  }
  return tokens;
};
window.themeColor = (i, variable) => {
  const probe = document.createElement('span');
  probe.style.color = `var(${variable})`;
  window.cellNode(i).querySelector('.cm-content').appendChild(probe);
  const color = getComputedStyle(probe).color;
  probe.remove();
  return color;
};
true;
"""


def _setup(lab):
    lab.page.evaluate(HELPERS)


def _wait_language(page, index, language):
    page.wait_for_function(f"() => window.cellLanguage({index}) === {language!r}",
                           timeout=15_000)


def test_snn_cell_is_highlighted_as_snn(notebook):
    page = notebook.page
    _setup(notebook)
    _wait_language(page, 0, "snn")
    tokens = page.evaluate("window.snnTokens(0)")
    assert tokens["magic"] == ["%%snn net"]
    assert set(tokens["keyword"]) == {"input", "ensemble", "probe"}
    assert tokens["neuron"] == ["LIF"]
    assert tokens["arrow"] == ["->"]
    assert tokens["mathFunction"] == ["sin"]
    assert tokens["unit"] == ["ms", "ms"]
    assert tokens["comment"] == ["# spiking"]
    assert set(tokens["definition"]) == {"stim", "a"}
    assert tokens["string"] == ['"spiking A"']
    # The statement wrapped inside brackets keeps its expression of x and ends
    # with them: 'synapse' on the line of ']' is an option again.
    assert tokens["exprName"] == ["pi", "t", "x"]
    assert tokens["option"] == ["rates", "label", "synapse", "synapse"]
    assert "invalid" not in tokens
    # JupyterLab's theme colours the keyword and string tags; a plain name keeps
    # the text colour.
    colors = page.evaluate("""() => {
      const span = cls => window.cellNode(0).querySelector('.cm-snn-' + cls);
      return {keyword: getComputedStyle(span('keyword')).color,
              name: getComputedStyle(span('name')).color,
              string: getComputedStyle(span('string')).color,
              theme: window.themeColor(0, '--jp-mirror-editor-keyword-color'),
              themeString: window.themeColor(0, '--jp-mirror-editor-string-color')};
    }""")
    assert colors["keyword"] == colors["theme"]
    assert colors["keyword"] != colors["name"]
    assert colors["string"] == colors["themeString"]
    # The Python cell keeps Python.
    _wait_language(page, 1, "python")
    assert page.evaluate("window.snnTokens(1)") == {}
    assert not notebook.errors, notebook.errors


def test_language_follows_the_first_line(notebook):
    page = notebook.page
    _setup(notebook)
    _wait_language(page, 0, "snn")
    _wait_language(page, 1, "python")
    # Typing the magic into the Python cell switches it to snn ...
    page.locator(".jp-Notebook .jp-Cell").nth(1).locator(".cm-content").click()
    page.keyboard.press("Control+Home")
    page.keyboard.type("%%snn typed\nb = ensemble 10 ")
    _wait_language(page, 1, "snn")
    assert page.evaluate("window.snnTokens(1)")["keyword"] == ["ensemble"]
    # ... and taking it away switches back.
    page.evaluate("window.nb().widgets[1].model.sharedModel.setSource('value = 2')")
    _wait_language(page, 1, "python")
    page.evaluate(
        "window.nb().widgets[0].model.sharedModel.setSource('# %%snn net\\nvalue = 3')")
    _wait_language(page, 0, "python")
    assert page.evaluate("window.snnTokens(0)") == {}


def test_summary_output_renders_as_a_card(notebook):
    page = notebook.page
    _setup(notebook)
    page.evaluate("""async () => {
      window.nb().activeCellIndex = 2;
      await window.jupyterapp.commands.execute('notebook:run-cell');
    }""")
    card = page.locator(".nbsnn-summary-card").first
    card.locator(".nbsnn-summary-label").wait_for(timeout=30_000)
    assert card.locator(".nbsnn-summary-label").text_content() == SUMMARY["label"]
    assert card.locator(".nbsnn-summary-totals").text_content() == (
        "2 ensembles · 250 neurons · 2 connections · 1 probe")
    names = card.locator(".nbsnn-summary-name").all_text_contents()
    texts = card.locator(".nbsnn-summary-text").all_text_contents()
    rows = dict(zip(names, texts))
    assert rows["a"] == "150 × LIF, 1-D"
    assert rows["stim"] == "Sine, 1-D"
    assert rows["b_probe"] == "b (value)"
    assert "a → b : x**2 (synapse 5ms)" in texts
    # Malformed data gives a one-line message instead of a card.
    error = page.locator(".nbsnn-summary-error")
    assert error.text_content() == 'nbsnn summary: "label" must be a string'
    # The card is preferred to the HTML and plain-text fallbacks.
    outputs = page.evaluate("window.cellNode(2).querySelector('.jp-OutputArea').textContent")
    for fallback in ["html fallback", "channel: 2 ensembles", "broken"]:
        assert fallback not in outputs


def _open_palette(page):
    """Show the command palette: by its command, else by its shortcut (the command
    sometimes leaves the modal hidden when the page has no focus)."""
    palette = page.locator(".lm-CommandPalette-input")
    for _ in range(3):
        page.evaluate("window.jupyterapp.commands.execute('apputils:activate-command-palette')")
        try:
            palette.wait_for(state="visible", timeout=15_000)
            return palette
        except PlaywrightTimeout:
            page.locator(".jp-Notebook").first.click()
            page.keyboard.press("Control+Shift+C")
            try:
                palette.wait_for(state="visible", timeout=15_000)
                return palette
            except PlaywrightTimeout:
                page.keyboard.press("Escape")
    raise AssertionError("the command palette did not open")


def test_palette_commands_insert_and_run_cells(notebook):
    page = notebook.page
    _setup(notebook)
    palette = _open_palette(page)
    palette.fill("nbsnn", timeout=60_000)
    for label in ["nbsnn: insert %%snn cell template", "nbsnn: run network in current cell"]:
        page.locator(".lm-CommandPalette-itemLabel", has_text=label).wait_for(timeout=10_000)
    page.locator(".lm-CommandPalette-input").press("Escape")

    # The template binds a name no other cell uses, and is highlighted.
    page.evaluate("""async () => {
      window.nb().activeCellIndex = 0;
      await window.jupyterapp.commands.execute('nbsnn:insert-template');
    }""")
    source = page.evaluate("window.nb().widgets[1].model.sharedModel.getSource()")
    assert source.startswith("%%snn net2\n")
    _wait_language(page, 1, "snn")

    # Run on a cell that is not %%snn: a warning, nothing inserted.
    count = page.evaluate("window.nb().widgets.length")
    page.evaluate("""async () => {
      window.nb().activeCellIndex = 2;
      await window.jupyterapp.commands.execute('nbsnn:run-network');
    }""")
    page.locator(".Toastify__toast", has_text="%%snn NAME").wait_for(timeout=10_000)
    assert page.evaluate("window.nb().widgets.length") == count

    # Run on the first cell: `%snn run net 1s` lands below it and both run.
    page.evaluate("""async () => {
      const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
      await kernel.requestExecute({code: '%load_ext nbsnn'}).done;
    }""")
    ok = page.evaluate("""async () => {
      window.nb().activeCellIndex = 0;
      return await window.jupyterapp.commands.execute('nbsnn:run-network');
    }""")
    assert page.evaluate("window.nb().widgets[1].model.sharedModel.getSource()") == (
        "%snn run net 1s")
    page.wait_for_function(
        "() => window.cellNode(1).querySelector('.jp-OutputArea').textContent"
        ".includes(\"ran 'net' for 1 s\")", timeout=240_000)
    assert ok is True
