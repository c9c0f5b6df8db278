/**
 * The pages the starter suite's web server serves to Firefox, by path. Each is self-contained (no
 * network but the suite's server). Pages with state post it to the relative address `record`, which the
 * server keeps per task run for the checkers: what was submitted, not what the model says it did.
 */

const style = `
body { font-family: sans-serif; font-size: 16px; margin: 24px 40px; color: #222; }
h1 { font-size: 26px; }
label { display: block; margin: 14px 0 4px; }
input[type=text], input[type=email], input[type=tel], select, textarea { font-size: 16px; padding: 4px; width: 320px; }
textarea { width: 480px; height: 120px; }
button { display: block; font-size: 16px; margin-top: 18px; padding: 6px 16px; }
table { border-collapse: collapse; margin: 12px 0 24px; }
td, th { border: 1px solid #999; padding: 4px 12px; text-align: left; }
.choice { display: block; margin: 6px 0; }
.done { color: #176317; font-weight: bold; margin-top: 16px; }
`;

/**
 * Sends the page's state to the suite's server, with the HttpOnly cookie the server set when it served this
 * page (a post without it is refused).
 */
const recordScript = `
function record(page, data) {
  return fetch('record', { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ page, data }) });
}
function confirmSent(text) {
  const done = document.getElementById('done');
  done.textContent = text;
}
`;

function page(title: string, body: string, script = ''): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${title}</title><style>${style}</style></head>
<body>
${body}
<p id="done" class="done" role="status"></p>
<script>${recordScript}${script}</script>
</body>
</html>
`;
}

/** A form page: on submit its named fields are recorded (checkboxes as booleans) with submitted: true. */
function formPage(title: string, pageName: string, fields: string, button: string, thanks: string): string {
  return page(
    title,
    `<h1>${title}</h1>\n<form id="form">\n${fields}\n<button type="submit">${button}</button>\n</form>`,
    `
document.getElementById('form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const data = { submitted: true };
  for (const element of event.target.elements) {
    if (!element.name) continue;
    if (element.type === 'checkbox') data[element.name] = element.checked;
    else if (element.type === 'radio') { if (element.checked) data[element.name] = element.value; }
    else data[element.name] = element.value;
  }
  await record(${JSON.stringify(pageName)}, data);
  confirmSent(${JSON.stringify(thanks)});
});
`,
  );
}

export const couponCode = 'SPRING-7Q4K-2026';
export const trackingNumber = 'TRK-58213-QX';

/** Orders on the orders page; Ruth Baker's is the one a task asks about. */
export const orders = [
  { number: 'A-1041', customer: 'Liam Carter', date: '2025-03-02', total: '42.00' },
  { number: 'A-1042', customer: 'Ruth Barker', date: '2025-03-02', total: '19.99' },
  { number: 'A-1043', customer: 'Noah Patel', date: '2025-03-03', total: '128.50' },
  { number: 'A-1044', customer: 'Emma Schultz', date: '2025-03-04', total: '64.10' },
  { number: 'A-1045', customer: 'Ruth Baker', date: '2025-03-05', total: '86.40' },
  { number: 'A-1046', customer: 'Oliver Baker', date: '2025-03-05', total: '23.75' },
  { number: 'A-1047', customer: 'Sofia Rossi', date: '2025-03-06', total: '57.00' },
  { number: 'A-1048', customer: 'Mia Jensen', date: '2025-03-07', total: '310.00' },
];

/** The meetings on the schedule page. */
export const meetings = [
  { time: '09:30', title: 'Design review' },
  { time: '11:00', title: 'Budget call with finance' },
  { time: '15:45', title: 'Team retrospective' },
];

const helpLinks = `<p><a href="help.html">Back to the help center</a></p>`;

/**
 * The help pages say which of them is shown each time one is (pageshow: also when Back brings it from the
 * cache), so a checker sees the page itself, not only a window title any page could have.
 */
const helpShown = `
addEventListener('pageshow', () => record('help', { path: location.pathname.replace(/^.*\\//, '/'), heading: document.querySelector('h1').textContent }));
`;

export const starterPages: Record<string, string> = {
  '/signup.html': formPage(
    'Create your account',
    'signup',
    `<label for="name">Full name</label><input type="text" id="name" name="name" autofocus>
<label for="email">Email address</label><input type="email" id="email" name="email">
<label for="plan">Plan</label>
<select id="plan" name="plan">
  <option value="basic">Basic</option>
  <option value="pro">Pro</option>
  <option value="team">Team</option>
</select>`,
    'Create account',
    'Your account has been created.',
  ),

  '/packing.html': page(
    'Packing list',
    `<h1>Packing list</h1>
<p>Tick what goes in the suitcase.</p>
<div id="items">
  <label class="choice"><input type="checkbox" value="Passport"> Passport</label>
  <label class="choice"><input type="checkbox" value="Charger" checked> Charger</label>
  <label class="choice"><input type="checkbox" value="Sunscreen"> Sunscreen</label>
  <label class="choice"><input type="checkbox" value="Umbrella"> Umbrella</label>
  <label class="choice"><input type="checkbox" value="Swimsuit"> Swimsuit</label>
  <label class="choice"><input type="checkbox" value="Laptop"> Laptop</label>
</div>
<button type="button" id="save">Save list</button>`,
    `
document.getElementById('save').addEventListener('click', async () => {
  const checked = [...document.querySelectorAll('#items input:checked')].map((box) => box.value);
  await record('packing', { saved: true, checked });
  confirmSent('Saved: ' + (checked.join(', ') || 'nothing'));
});
`,
  ),

  '/help.html': page(
    'Help center',
    `<h1>Help center</h1>
<p>What do you need help with?</p>
<ul>
  <li><a href="help-shipping.html">Shipping rates and delivery times</a></li>
  <li><a href="help-returns.html">Sending an item back</a></li>
  <li><a href="help-contact.html">Talking to a person</a></li>
</ul>`,
    helpShown,
  ),
  '/help-shipping.html': page(
    'Shipping rates',
    `<h1>Shipping rates</h1><p>Standard delivery takes 3 to 5 working days and costs 4.90.</p>${helpLinks}`,
    helpShown,
  ),
  '/help-returns.html': page(
    'Returns and refunds',
    `<h1>Returns and refunds</h1><p>You can send any item back within 30 days for a full refund.</p>${helpLinks}`,
    helpShown,
  ),
  '/help-contact.html': page(
    'Contact support',
    `<h1>Contact support</h1><p>Call us on weekdays from 9 to 17.</p>${helpLinks}`,
    helpShown,
  ),

  '/preferences.html': formPage(
    'Account preferences',
    'preferences',
    `<label for="language">Language</label>
<select id="language" name="language">
  <option value="en">English</option>
  <option value="de">Deutsch</option>
  <option value="fr">Français</option>
  <option value="es">Español</option>
</select>
<fieldset><legend>E-mail digest</legend>
  <label class="choice"><input type="radio" name="digest" value="daily" checked> Daily</label>
  <label class="choice"><input type="radio" name="digest" value="weekly"> Weekly</label>
  <label class="choice"><input type="radio" name="digest" value="never"> Never</label>
</fieldset>
<label class="choice"><input type="checkbox" name="darkMode"> Dark mode</label>`,
    'Save preferences',
    'Your preferences have been saved.',
  ),

  '/orders.html': formPage(
    'Orders',
    'refund',
    `<table>
<tr><th>Order</th><th>Customer</th><th>Date</th><th>Total (EUR)</th></tr>
${orders.map((order) => `<tr><td>${order.number}</td><td>${order.customer}</td><td>${order.date}</td><td>${order.total}</td></tr>`).join('\n')}
</table>
<h2>Request a refund</h2>
<label for="order">Order number</label><input type="text" id="order" name="order">
<label for="amount">Amount (EUR)</label><input type="text" id="amount" name="amount">
<label for="reason">Reason</label>
<select id="reason" name="reason">
  <option value="">Choose a reason</option>
  <option value="wrong-size">Wrong size</option>
  <option value="damaged">Damaged item</option>
  <option value="late">Arrived late</option>
  <option value="other">Other</option>
</select>`,
    'Request refund',
    'Your refund request has been sent.',
  ),

  '/coupon.html': page(
    'Your coupon',
    `<h1>Your coupon</h1>
<p>Thanks for shopping with us. Use this code at checkout for 15% off:</p>
<input type="text" id="code" value="${couponCode}" readonly size="24" aria-label="Coupon code">`,
  ),

  '/shipment.html': page(
    'Shipment status',
    `<h1>Shipment status</h1>
<table>
<tr><th>Carrier</th><td>Northwind Parcel</td></tr>
<tr><th>Tracking number</th><td>${trackingNumber}</td></tr>
<tr><th>Status</th><td>In transit, expected on Thursday</td></tr>
</table>`,
  ),

  '/contact-form.html': formPage(
    'New contact',
    'contact',
    `<label for="name">Name</label><input type="text" id="name" name="name" autofocus>
<label for="email">Email</label><input type="email" id="email" name="email">
<label for="phone">Phone</label><input type="tel" id="phone" name="phone">`,
    'Save contact',
    'The contact has been saved.',
  ),

  '/feedback.html': formPage(
    'Send us feedback',
    'feedback',
    `<label for="message">Your message</label><textarea id="message" name="message" autofocus></textarea>`,
    'Send',
    'Thank you, your feedback was sent.',
  ),

  '/schedule.html': page(
    'Tuesday schedule',
    `<h1>Tuesday schedule</h1>
<table>
<tr><th>Time</th><th>Meeting</th></tr>
${meetings.map((meeting) => `<tr><td>${meeting.time}</td><td>${meeting.title}</td></tr>`).join('\n')}
</table>`,
  ),
};
