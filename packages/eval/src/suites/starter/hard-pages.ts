/**
 * Pages of the starter suite's hard mouse tasks: a long page whose form is far below the fold, sliders, a
 * board whose cards move only by dragging, and a long price list. Each posts its state to `record`, as the
 * starter pages do, so checkers read what the page holds, not what the model says.
 */

const style = `
body { font-family: sans-serif; font-size: 16px; margin: 24px 40px; color: #222; }
h1 { font-size: 26px; }
button { font-size: 16px; padding: 6px 16px; }
.done { color: #176317; font-weight: bold; margin-top: 16px; }
`;

const recordScript = `
function record(page, data) {
  return fetch('record', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ page, data }) });
}
`;

function page(title: string, body: string, script: string, extraStyle = ''): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${title}</title><style>${style}${extraStyle}</style></head>
<body>
${body}
<p id="done" class="done" role="status"></p>
<script>${recordScript}${script}</script>
</body>
</html>
`;
}

/** The code printed in section 14 of the terms, which the acceptance form at the bottom asks for. */
export const termsReference = 'TOS-4471-K';

const termsTopics = [
  'Who we are',
  'Your account',
  'Orders and payment',
  'Prices and taxes',
  'Delivery',
  'Returns',
  'Warranty',
  'Gift cards',
  'Reviews you write',
  'Our content',
  'Privacy',
  'Cookies',
  'Newsletters',
  'Changes to these terms',
  'Liability',
  'Disputes',
  'Governing law',
  'Contact',
];

const filler =
  'This section explains in ordinary words what you and we agree to. Please read it carefully; nothing here takes away the rights the law of your country gives you as a consumer, and where a sentence could be read two ways the reading more favourable to you applies.';

function termsSection(topic: string, index: number): string {
  const number = index + 1;
  const special =
    number === 14
      ? `<p>When you accept a new version of these terms, quote its reference code <strong>${termsReference}</strong>.</p>`
      : '';
  return `<h2>${number}. ${topic}</h2>\n<p>${filler}</p>\n<p>${filler}</p>\n${special}`;
}

/** Thermostat temperatures: what the page starts with and what the note asks for. */
export const thermostatStart = { day: 20, night: 20 };
export const thermostatWanted = { day: 22, night: 16 };

/** The board's cards, by column, as the page starts. */
export const boardStart: Record<'todo' | 'doing' | 'done', string[]> = {
  todo: ['Write release notes', 'Update the privacy policy', 'Order new laptops'],
  doing: ['Fix the login bug'],
  done: ['Hire a designer'],
};

/** The price list: 120 products in a table; the one a task asks about is far below the fold. */
export const priceListItems = Array.from({ length: 120 }, (_, index) => {
  const number = index + 1;
  const names = ['Oak shelf', 'Desk lamp', 'Pen holder', 'Cable tray', 'Footrest', 'Monitor arm'];
  const name = `${names[index % names.length]} ${String.fromCharCode(65 + (index % 26))}${number}`;
  const price = (((number * 37) % 190) + 9.5).toFixed(2);
  return { sku: `SKU-${String(3000 + number * 7)}`, name, price };
});
/** The product the task names: row 103 of 120. */
export const pricedItem = priceListItems[102] as { sku: string; name: string; price: string };

const cardStyle = `
.board { display: flex; gap: 24px; }
.column { width: 260px; min-height: 420px; background: #eef1f5; border: 1px solid #b8c0cc; border-radius: 6px; padding: 8px; }
.column h2 { font-size: 18px; margin: 4px 4px 12px; }
.card { background: #fff; border: 1px solid #8a94a3; border-radius: 4px; padding: 14px 10px; margin-bottom: 10px; cursor: grab; user-select: none; }
.card.dragging { opacity: 0.4; }
#ghost { position: fixed; pointer-events: none; background: #fff8d0; border: 1px dashed #555; padding: 14px 10px; width: 230px; display: none; }
`;

export const hardPages: Record<string, string> = {
  '/hard-terms.html': page(
    'Terms of service',
    `<h1>Terms of service</h1>
<p>We have updated our terms of service. To keep using your account, read them and accept them at the bottom of this page.</p>
${termsTopics.map(termsSection).join('\n')}
<h2>Accept the new terms</h2>
<form id="form">
<p><label><input type="checkbox" id="agree" name="agree"> I have read and accept the terms of service</label></p>
<p><label for="code">Reference code of these terms</label><br><input type="text" id="code" name="code" size="20"></p>
<p><button type="submit">Accept terms</button></p>
</form>`,
    `
document.getElementById('form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const data = { submitted: true, agree: document.getElementById('agree').checked, code: document.getElementById('code').value };
  await record('terms', data);
  document.getElementById('done').textContent = data.agree ? 'Thank you, the new terms are accepted.' : 'Please tick the box to accept the terms.';
});
`,
  ),

  '/hard-thermostat.html': page(
    'Thermostat',
    `<h1>Thermostat</h1>
<p>Drag the sliders to set the temperatures, then save.</p>
<p><label for="day">Day temperature: <output id="dayValue">${thermostatStart.day}</output> °C</label><br>
<input type="range" id="day" min="10" max="30" step="1" value="${thermostatStart.day}"></p>
<p><label for="night">Night temperature: <output id="nightValue">${thermostatStart.night}</output> °C</label><br>
<input type="range" id="night" min="10" max="30" step="1" value="${thermostatStart.night}"></p>
<p>Mode:
<label><input type="radio" name="mode" value="off"> Off</label>
<label><input type="radio" name="mode" value="manual" checked> Manual</label>
<label><input type="radio" name="mode" value="schedule"> Schedule</label></p>
<p><button type="button" id="save">Save schedule</button></p>`,
    `
for (const name of ['day', 'night']) {
  const slider = document.getElementById(name);
  slider.addEventListener('input', () => { document.getElementById(name + 'Value').textContent = slider.value; });
}
document.getElementById('save').addEventListener('click', async () => {
  const data = { saved: true, day: Number(document.getElementById('day').value), night: Number(document.getElementById('night').value), mode: document.querySelector('input[name=mode]:checked').value };
  await record('thermostat', data);
  document.getElementById('done').textContent = 'Saved: day ' + data.day + ' °C, night ' + data.night + ' °C.';
});
`,
    'input[type=range] { width: 420px; margin: 8px 0 16px; }',
  ),

  '/hard-board.html': page(
    'Team board',
    `<h1>Team board</h1>
<p>Drag the cards between the columns, then save the board.</p>
<div class="board">
${Object.entries(boardStart)
  .map(
    ([column, cards]) =>
      `<div class="column" data-column="${column}"><h2>${{ todo: 'To do', doing: 'Doing', done: 'Done' }[column]}</h2>${cards.map((card) => `<div class="card">${card}</div>`).join('')}</div>`,
  )
  .join('\n')}
</div>
<div id="ghost"></div>
<p><button type="button" id="save">Save board</button></p>`,
    `
// Cards move by pressing, moving and releasing the mouse (no HTML drag and drop, which synthetic input drives poorly).
let dragged = null;
const ghost = document.getElementById('ghost');
document.addEventListener('mousedown', (event) => {
  const card = event.target.closest('.card');
  if (!card || event.button !== 0) return;
  event.preventDefault();
  dragged = card;
  card.classList.add('dragging');
  ghost.textContent = card.textContent;
  ghost.style.left = event.clientX + 8 + 'px';
  ghost.style.top = event.clientY + 8 + 'px';
  ghost.style.display = 'block';
});
document.addEventListener('mousemove', (event) => {
  if (!dragged) return;
  ghost.style.left = event.clientX + 8 + 'px';
  ghost.style.top = event.clientY + 8 + 'px';
});
document.addEventListener('mouseup', (event) => {
  if (!dragged) return;
  ghost.style.display = 'none';
  dragged.classList.remove('dragging');
  const column = document.elementFromPoint(event.clientX, event.clientY)?.closest('.column');
  if (column) column.appendChild(dragged);
  dragged = null;
});
document.getElementById('save').addEventListener('click', async () => {
  const columns = {};
  for (const column of document.querySelectorAll('.column')) {
    columns[column.dataset.column] = [...column.querySelectorAll('.card')].map((card) => card.textContent);
  }
  await record('board', { saved: true, columns });
  document.getElementById('done').textContent = 'The board is saved.';
});
`,
    cardStyle,
  ),

  '/hard-prices.html': page(
    'Office furniture price list',
    `<h1>Office furniture price list</h1>
<p>Prices in EUR, VAT included. Ask the office manager before ordering anything above 150 EUR.</p>
<table border="1" cellpadding="4" style="border-collapse: collapse">
<tr><th>Article</th><th>Product</th><th>Price (EUR)</th></tr>
${priceListItems.map((item) => `<tr><td>${item.sku}</td><td>${item.name}</td><td>${item.price}</td></tr>`).join('\n')}
</table>`,
    '',
  ),
};
