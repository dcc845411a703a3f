// Opens gdtui's served page in a real browser and reports what it shows, for tests/test_serve.py.
// node served_page.js URL CHROMIUM USER_DATA_DIR   (playwright-core found through NODE_PATH)
// Writes JSON lines: {"sent": text} for each message the page sends, {"bytes": base64} for each
// chunk of the app's output it receives, and an answer to each command read from stdin:
//   measure      -> {"measure": {viewport, screen, rows, painted}}: painted[y] is whether the
//                   terminal drew anything but its background in row y (null where it draws
//                   without a 2D canvas)
//   press KEY    -> {"pressed": KEY}   (to the page as it is: nothing here clicks unless told)
//   click        -> {"clicked": true}
//   screenshot P -> {"screenshot": P}
//   close        -> the browser closes and this exits
const { chromium } = require("playwright-core");
const readline = require("readline");

const [url, executablePath, userDataDir] = process.argv.slice(2);
const say = (object) => process.stdout.write(JSON.stringify(object) + "\n");

(async () => {
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    viewport: { width: 1200, height: 800 },
    args: [
      "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
  });
  const page = context.pages()[0] || (await context.newPage());
  let rows = null;
  page.on("websocket", (ws) => {
    ws.on("framesent", (frame) => {
      const size = String(frame.payload).match(/^\["resize",\{"width":\d+,"height":(\d+)\}\]$/);
      if (size) rows = Number(size[1]);
      say({ sent: String(frame.payload) });
    });
    ws.on("framereceived", (frame) => {
      if (typeof frame.payload !== "string") say({ bytes: frame.payload.toString("base64") });
    });
  });
  await page.goto(url);

  const measure = () => page.evaluate((rows) => {
    const box = (element) => {
      const r = element && element.getBoundingClientRect();
      return r && { x: r.x, y: r.y, width: r.width, height: r.height };
    };
    const canvas = document.querySelector(".xterm-text-layer");
    const context = canvas && rows && canvas.getContext("2d");
    let painted = null;
    if (context) {
      // Drawn: any pixel not of the terminal's background, the commonest colour on the canvas.
      const pixels = new Uint32Array(context.getImageData(0, 0, canvas.width, canvas.height).data.buffer);
      const counts = new Map();
      for (const pixel of pixels) counts.set(pixel, (counts.get(pixel) || 0) + 1);
      const background = [...counts].reduce((a, b) => (b[1] > a[1] ? b : a))[0];
      const band = canvas.height / rows;
      painted = Array.from({ length: rows }, (_, y) =>
        pixels.subarray(Math.floor(y * band) * canvas.width, Math.floor((y + 1) * band) * canvas.width)
          .some((pixel) => pixel !== background));
    }
    return {
      viewport: { width: window.innerWidth, height: window.innerHeight },
      screen: box(document.querySelector(".xterm-screen")),
      rows,
      painted,
    };
  }, rows);

  for await (const line of readline.createInterface({ input: process.stdin })) {
    const [command, argument] = line.split(" ", 2);
    if (command === "measure") say({ measure: await measure() });
    else if (command === "press") { await page.keyboard.press(argument); say({ pressed: argument }); }
    else if (command === "click") { await page.click(".xterm-screen"); say({ clicked: true }); }
    else if (command === "screenshot") { await page.screenshot({ path: argument }); say({ screenshot: argument }); }
    else break;
  }
  await context.close();
})().catch((error) => {
  say({ error: String(error) });
  process.exit(1);
});
