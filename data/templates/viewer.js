// The figure viewer (crates/juesuan-render/src/viewer.rs): a narrative figure or a table cell,
// clicked (or a figure reached with Tab and opened with Enter), opens a panel saying what it is,
// where it comes from and what cites it; on an audit page, a number of the published narrative
// says what became of it. It reads the page and the JSON island only.
(function () {
  var island = document.getElementById('figure-data');
  if (!island) return;
  var data = JSON.parse(island.textContent), L = data.labels;
  data.figures = data.figures || {};
  data.mentions = data.mentions || [];
  data.checks = data.checks || { by_cell: {}, titles: {} };
  data.columns = data.columns || {};
  var panel = document.createElement('aside');
  panel.id = 'figure-panel';
  panel.setAttribute('role', 'dialog');
  panel.setAttribute('aria-labelledby', 'figure-panel-title');
  panel.hidden = true;
  document.body.appendChild(panel);
  var opener = null;

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text != null) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }
  function norm(s) { return (s || '').replace(/\s+/g, ''); }
  function attr(e, k) { return e.getAttribute('data-' + k) || ''; }
  function yuan(s) { return s + ' ' + L.yuan; }

  // The cell `table/row/column` of the page: by its attributes, else (a blank cell, a footer
  // total) the value cell after the row's line number or label.
  function cellAt(address) {
    var p = address.split('/'), t = p[0], r = p[1] || '', c = p[2] || '';
    var table = document.querySelector('table.report[data-table="' + t + '"]');
    if (!table) return null;
    var cells = table.querySelectorAll('td.value');
    for (var i = 0; i < cells.length; i++) {
      var d = cells[i];
      if (attr(d, 'row') === r && attr(d, 'key') === c) return d;
      if (!r && c && attr(d, 'key') === c) return d;
    }
    var marks = table.querySelectorAll('td.line, td.label, td.code');
    for (var j = 0; j < marks.length; j++) {
      if (norm(marks[j].textContent) === r) {
        var n = marks[j].nextElementSibling;
        while (n && !n.classList.contains('value')) n = n.nextElementSibling;
        if (n) return n;
      }
    }
    return null;
  }
  function addressOf(td) {
    var table = td.closest('table.report');
    if (!table || !td.hasAttribute('data-key')) return null;
    return attr(table, 'table') + '/' + attr(td, 'row') + '/' + attr(td, 'key');
  }
  function cellWords(td) {
    var table = td.closest('table.report'), t = attr(table, 'table');
    var title = document.getElementById(t + '-title');
    var tr = td.parentElement, row = [];
    tr.querySelectorAll('td.code, td.name, td.label, td.line').forEach(function (x) {
      if (x.compareDocumentPosition(td) & Node.DOCUMENT_POSITION_FOLLOWING) row.push(x.textContent.trim());
    });
    var cols = data.columns[t] || {};
    var col = cols[attr(td, 'key')] || '';
    return [title ? title.textContent.trim() : t, row.slice(-3).join(' '), col].filter(Boolean).join(' ');
  }

  function unmark() {
    document.querySelectorAll('.viewer-hl').forEach(function (e) { e.classList.remove('viewer-hl'); });
  }
  function mark(e) {
    if (!e) return;
    unmark();
    e.classList.add('viewer-hl');
    if (!e.hasAttribute('tabindex')) e.setAttribute('tabindex', '-1');
    // On a narrow screen the panel covers the lower part: the mark goes near the top.
    var narrow = window.innerWidth <= 640 && !panel.hidden;
    e.scrollIntoView({ block: narrow ? 'start' : 'center', inline: 'center' });
    if (narrow) window.scrollBy(0, -60);
    e.focus({ preventScroll: true });
  }
  // The mark a panel was opened on, kept in sight (above the panel on a narrow screen); the
  // focus stays in the panel.
  function reveal(e) {
    mark(e);
    panel.querySelector('.close').focus();
  }
  // A link that marks a cell or a figure of the page (a link, not a button: it wraps as text).
  function jump(text, target) {
    var a = el('a', text, 'link');
    a.href = '#';
    a.addEventListener('click', function (e) {
      e.preventDefault();
      mark(typeof target === 'function' ? target() : target);
    });
    return a;
  }
  function list(items) {
    if (!items.length) return el('dd', L.none, 'muted');
    var dd = el('dd'), ul = el('ul');
    items.forEach(function (i) { var li = el('li'); li.appendChild(i); ul.appendChild(li); });
    dd.appendChild(ul);
    return dd;
  }
  // The rules that read the cells `addresses`, each with whether it held on all of them.
  function rules(addresses) {
    var by = {};
    addresses.forEach(function (a) {
      var m = data.checks.by_cell[a] || {};
      Object.keys(m).forEach(function (id) { by[id] = (by[id] === undefined ? true : by[id]) && m[id]; });
    });
    return list(Object.keys(by).sort().map(function (id) {
      var li = el('span', id + ' ' + (data.checks.titles[id] || '') + ' — ' + (by[id] ? L.held : L.failed),
        by[id] ? 'held' : 'failed');
      return li;
    }));
  }
  function show(title, rows, from) {
    panel.textContent = '';
    var close = el('button', L.close, 'close');
    close.type = 'button';
    close.addEventListener('click', hide);
    var h = el('h2', title);
    h.id = 'figure-panel-title';
    var dl = el('dl');
    rows.forEach(function (r) { dl.appendChild(el('dt', r[0])); dl.appendChild(r[1]); });
    panel.appendChild(close);
    panel.appendChild(h);
    panel.appendChild(dl);
    panel.hidden = false;
    opener = from;
    close.focus();
  }
  function hide() {
    panel.hidden = true;
    unmark();
    if (opener) opener.focus();
  }

  function showFigure(span) {
    var key = attr(span, 'figure'), f = data.figures[key];
    if (!f) return;
    var exact = f.kind === 'money' ? yuan(f.exact[0])
      : f.kind === 'ratio' ? yuan(f.exact[0]) + ' ' + L.over + ' ' + yuan(f.exact[1]) : f.exact[0];
    var sources = f.sources.filter(function (s) { return s[0].indexOf('input:') !== 0; })
      .map(function (s) { return jump(s[1], function () { return cellAt(s[0]); }); });
    var inputs = f.sources.filter(function (s) { return s[0].indexOf('input:') === 0; })
      .map(function (s) { return el('span', s[1]); });
    show(f.label, [
      [L.value, el('dd', span.textContent)],
      [L.exact, el('dd', exact)],
      [L.definition, el('dd', f.words || f.formula)],
      [L.sources, list(sources.concat(inputs))],
      [L.checks, rules(f.sources.map(function (s) { return s[0]; }))]
    ], span);
    reveal(span);
  }

  // A number of an audited narrative: what it was read as and what became of it.
  function showMention(span) {
    var m = data.mentions[+attr(span, 'mention')];
    if (!m) return;
    var rows = [
      [L.value, el('dd', m.text)],
      [L.place, el('dd', m.place)],
      [L.result, el('dd', m.result, 'state ' + m.state)]
    ];
    if (m.compared) rows.push([L.compared, el('dd', m.compared)]);
    if (m.findings.length) rows.push([L.findings, list(m.findings.map(function (f) { return el('span', f); }))]);
    show(m.subject || m.text, rows, span);
    reveal(span);
  }

  function showCell(td) {
    var address = addressOf(td), table = td.closest('table.report');
    var cited = [], parts = [], whole = [];
    if (address) {
      Object.keys(data.figures).forEach(function (k) {
        var f = data.figures[k];
        if (!f.sources.some(function (s) { return s[0] === address; })) return;
        document.querySelectorAll('.fig[data-figure="' + k + '"]').forEach(function (s) {
          var p = s.closest('p, li, td') || s;
          var text = p.textContent.trim();
          var quote = text.slice(0, 60) + (text.length > 60 ? '…' : '');
          cited.push(jump(f.label + L.sep + s.textContent + L.open + quote + L.shut, s));
        });
      });
      // The classification tree: a 类 adds up its 款, a 款 its 项.
      var row = attr(td, 'row'), key = attr(td, 'key');
      if (/^\d{3}(\d\d){0,2}$/.test(row)) {
        table.querySelectorAll('td.value[data-key="' + key + '"]').forEach(function (x) {
          var r = attr(x, 'row');
          if (r.length === row.length + 2 && r.indexOf(row) === 0) parts.push(jump(cellWords(x) + L.sep + x.textContent, x));
          if (r.length === row.length - 2 && row.indexOf(r) === 0) whole.push(jump(cellWords(x) + L.sep + x.textContent, x));
        });
      }
    }
    var rows = [[L.value, el('dd', td.textContent || '—')]];
    if (parts.length) rows.push([L.parts, list(parts)]);
    if (whole.length) rows.push([L.whole, list(whole)]);
    rows.push([L.cited, list(cited)]);
    if (address) rows.push([L.checks, rules([address])]);
    show(cellWords(td), rows, td);
    reveal(td);
  }

  document.querySelectorAll('.fig[data-figure], .fig[data-mention]').forEach(function (s) {
    s.setAttribute('tabindex', '0');
    s.setAttribute('role', 'button');
    s.setAttribute('aria-haspopup', 'dialog');
    var m = data.mentions[+attr(s, 'mention')];
    if (s.hasAttribute('data-mention') && m) s.setAttribute('aria-label', m.text + L.open + m.result + L.shut);
  });
  function openMark(span) {
    unmark();
    if (span.hasAttribute('data-mention')) showMention(span); else showFigure(span);
  }
  document.addEventListener('click', function (e) {
    var span = e.target.closest && e.target.closest('.fig[data-figure], .fig[data-mention]');
    if (span) { openMark(span); return; }
    var td = e.target.closest && e.target.closest('table.report td.value');
    if (td) showCell(td);
  });
  document.addEventListener('keydown', function (e) {
    if (e.key === 'Escape' && !panel.hidden) { hide(); return; }
    var span = e.target.closest && e.target.closest('.fig[data-figure], .fig[data-mention]');
    if (span && (e.key === 'Enter' || e.key === ' ')) { e.preventDefault(); openMark(span); }
  });
})();
