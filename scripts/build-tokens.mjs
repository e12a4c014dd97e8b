#!/usr/bin/env node
// Build static/css/tokens.css from the Digital Agency design tokens package.
//
//   npm ci && node scripts/build-tokens.mjs      (or: make tokens)
//
// Output = the package's own dist/tokens.css custom properties, copied
// verbatim, followed by a small "portal" layer: the portal font stack, a
// spacing scale (the package ships none) and semantic aliases that only
// point at package tokens via var(). The build fails if an alias points at
// a token the package does not define or if a text/background pair drops
// below WCAG AA contrast. The output is deterministic (no timestamps).

import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const PKG = "@digital-go-jp/design-tokens";
const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const outFile = resolve(root, "static/css/tokens.css");
const require = createRequire(resolve(root, "package.json"));

const pkgJsonPath = require.resolve(`${PKG}/package.json`);
const pkgDir = dirname(pkgJsonPath);
const { version } = JSON.parse(readFileSync(pkgJsonPath, "utf8"));
const distCss = readFileSync(resolve(pkgDir, "dist/tokens.css"), "utf8");
const tokenTree = require(resolve(pkgDir, "dist/tokens.js"));

function fail(msg) {
  console.error(`build-tokens: ${msg}`);
  process.exit(1);
}

// 1. Custom properties from the package's distributed CSS, in order.
const pkgTokens = new Map();
for (const m of distCss.matchAll(/(--[a-z0-9-]+)\s*:\s*([^;]+);/g)) {
  pkgTokens.set(m[1], m[2].trim());
}
if (pkgTokens.size === 0) fail(`no custom properties found in ${PKG}/dist/tokens.css`);

// Cross-check against the package's JS token tree: same set of names.
const kebab = (s) => String(s).replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();
const jsNames = new Set();
(function walk(node) {
  if (node && typeof node === "object") {
    if (Array.isArray(node.path) && "$value" in node) {
      jsNames.add(`--${node.path.map(kebab).join("-")}`);
      return;
    }
    for (const v of Object.values(node)) walk(v);
  }
})(tokenTree);
const missing = [...jsNames].filter((n) => !pkgTokens.has(n));
if (missing.length) fail(`tokens.js has tokens absent from tokens.css: ${missing.join(", ")}`);

// 2. Portal layer.
const FONT_STACK = '"Noto Sans JP", "Hiragino Sans", "DejaVu Sans", "IPAexGothic", system-ui, sans-serif';
const MONO_STACK = '"Noto Sans Mono", "DejaVu Sans Mono", monospace';

// Spacing: 4px steps on the Digital Agency 8px grid; name = px, value = rem
// (same naming convention as the package's --font-size-N / --border-radius-N).
const SPACING_PX = [2, 4, 8, 12, 16, 24, 32, 40, 48, 64];
const spacing = SPACING_PX.map((px) => [`--spacing-${px}`, `${px / 16}rem`]);

const v = (name) => `var(--${name})`;
const aliases = [
  ["--portal-font-family", FONT_STACK],
  ["--portal-font-family-mono", MONO_STACK],
  ["--portal-container-max", "80rem"],
  ["--portal-focus-outline-width", "0.25rem"],
  // Text and surfaces
  ["--portal-color-text", v("color-neutral-solid-gray-800")],
  ["--portal-color-text-muted", v("color-neutral-solid-gray-600")],
  ["--portal-color-bg", v("color-neutral-white")],
  ["--portal-color-bg-subtle", v("color-neutral-solid-gray-50")],
  ["--portal-color-bg-hover", v("color-primitive-blue-50")],
  ["--portal-color-border", v("color-neutral-solid-gray-200")],
  ["--portal-color-border-strong", v("color-neutral-solid-gray-600")],
  // Links
  ["--portal-color-link", v("color-primitive-blue-1000")],
  ["--portal-color-link-hover", v("color-primitive-blue-1100")],
  ["--portal-color-link-visited", v("color-primitive-magenta-900")],
  ["--portal-color-link-active", v("color-primitive-orange-800")],
  // Primary action / brand
  ["--portal-color-primary", v("color-primitive-blue-900")],
  ["--portal-color-primary-hover", v("color-primitive-blue-1000")],
  ["--portal-color-primary-active", v("color-primitive-blue-1200")],
  ["--portal-color-primary-subtle", v("color-primitive-blue-50")],
  ["--portal-color-on-primary", v("color-neutral-white")],
  // Focus (Digital Agency style: black outline + yellow ring)
  ["--portal-color-focus-outline", v("color-neutral-black")],
  ["--portal-color-focus-ring", v("color-primitive-yellow-300")],
  // Status
  ["--portal-color-success", v("color-semantic-success-2")],
  ["--portal-color-success-text", v("color-primitive-green-900")],
  ["--portal-color-success-subtle", v("color-primitive-green-50")],
  ["--portal-color-error", v("color-semantic-error-1")],
  ["--portal-color-error-hover", v("color-semantic-error-2")],
  ["--portal-color-error-text", v("color-primitive-red-1000")],
  ["--portal-color-error-subtle", v("color-primitive-red-50")],
  ["--portal-color-warning", v("color-semantic-warning-orange-2")],
  ["--portal-color-warning-text", v("color-primitive-orange-1000")],
  ["--portal-color-warning-subtle", v("color-primitive-yellow-50")],
  ["--portal-color-info", v("color-primitive-blue-900")],
  ["--portal-color-info-text", v("color-primitive-blue-1000")],
  ["--portal-color-info-subtle", v("color-primitive-blue-50")],
];

const all = new Map([...pkgTokens, ...spacing, ...aliases]);
for (const [name, value] of [...spacing, ...aliases]) {
  for (const ref of value.matchAll(/var\((--[a-z0-9-]+)\)/g)) {
    if (!all.has(ref[1])) fail(`${name} refers to undefined ${ref[1]}`);
  }
}

// 3. Contrast checks (WCAG 2.x relative luminance).
function resolveColor(name, depth = 0) {
  const val = all.get(name);
  if (!val || depth > 10) fail(`cannot resolve ${name}`);
  const ref = /^var\((--[a-z0-9-]+)\)$/.exec(val);
  return ref ? resolveColor(ref[1], depth + 1) : val;
}
function luminance(hex) {
  const m = /^#([0-9a-f]{6})$/i.exec(hex);
  if (!m) fail(`not a hex colour: ${hex}`);
  const [r, g, b] = [0, 2, 4].map((i) => {
    const c = parseInt(m[1].slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
function contrast(a, b) {
  const [l1, l2] = [luminance(resolveColor(a)), luminance(resolveColor(b))].sort((x, y) => y - x);
  return (l1 + 0.05) / (l2 + 0.05);
}
const P = (s) => `--portal-color-${s}`;
const checks = [
  // [foreground, background, minimum]
  ["text", "bg", 4.5], ["text", "bg-subtle", 4.5], ["text-muted", "bg", 4.5],
  ["text-muted", "bg-subtle", 4.5], ["link", "bg", 4.5], ["link", "bg-subtle", 4.5],
  ["link-hover", "bg-hover", 4.5], ["link-visited", "bg", 4.5], ["link-active", "bg", 4.5],
  ["on-primary", "primary", 4.5], ["on-primary", "primary-hover", 4.5],
  ["on-primary", "primary-active", 4.5], ["on-primary", "error", 4.5],
  ["on-primary", "error-hover", 4.5], ["link", "primary-subtle", 4.5],
  ["success-text", "success-subtle", 4.5], ["error-text", "error-subtle", 4.5],
  ["warning-text", "warning-subtle", 4.5], ["info-text", "info-subtle", 4.5],
  ["text", "success-subtle", 4.5], ["text", "error-subtle", 4.5],
  ["text", "warning-subtle", 4.5], ["text", "info-subtle", 4.5],
  ["error", "bg", 4.5], ["text-muted", "primary-subtle", 4.5],
  // non-text UI components (WCAG 1.4.11)
  ["border-strong", "bg", 3], ["focus-outline", "focus-ring", 3],
  ["success", "success-subtle", 3], ["error", "error-subtle", 3],
  ["warning", "warning-subtle", 3], ["info", "info-subtle", 3],
];
for (const [fg, bg, min] of checks) {
  const ratio = contrast(P(fg), P(bg));
  if (ratio < min) fail(`contrast ${fg} on ${bg} is ${ratio.toFixed(2)}:1 (< ${min}:1)`);
}

// 4. Write.
const block = (entries) => entries.map(([n, val]) => `  ${n}: ${val};`).join("\n");
const css = `/*
 * Generated from ${PKG}@${version} (MIT, Digital Agency, Japan)
 * by scripts/build-tokens.mjs — do not edit by hand; run \`make tokens\`.
 */

/* ${PKG}@${version} dist/tokens.css (verbatim) */
:root {
${block([...pkgTokens])}
}

/* MOC Portal layer: font stack, spacing scale, aliases of the tokens above */
:root {
${block(spacing)}
${block(aliases)}
}
`;
mkdirSync(dirname(outFile), { recursive: true });
writeFileSync(outFile, css);
console.log(
  `build-tokens: wrote ${outFile.slice(root.length + 1)} from ${PKG}@${version} ` +
    `(${pkgTokens.size} package tokens, ${spacing.length + aliases.length} portal tokens, ${checks.length} contrast checks ok)`,
);
