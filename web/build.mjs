// Copies the page's third-party assets from node_modules (pinned in package-lock.json) into the
// Python package, so the page works with no network: no CDN, no tile server.
// Run `npm ci && npm run build` here after changing a version; commit the copied files.
import { copyFileSync, mkdirSync, existsSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const vendor = join(here, "..", "src", "rasd", "web", "static", "vendor");
const copies = [
  ["leaflet/dist/leaflet.js", "leaflet/leaflet.js"],
  ["leaflet/dist/leaflet.css", "leaflet/leaflet.css"],
  ["leaflet/dist/images/layers.png", "leaflet/images/layers.png"],
  ["leaflet/dist/images/layers-2x.png", "leaflet/images/layers-2x.png"],
  ["leaflet/LICENSE", "leaflet/LICENSE"],
  ["topojson-client/dist/topojson-client.min.js", "topojson-client/topojson-client.min.js"],
  ["topojson-client/LICENSE", "topojson-client/LICENSE"],
  // Natural Earth 1:50m country shapes (public domain) as TopoJSON: the offline base layer.
  ["world-atlas/countries-50m.json", "world-atlas/countries-50m.json"],
  ["world-atlas/LICENSE", "world-atlas/LICENSE"],
  // Swagger UI for /docs, served from here because the stock page loads it from a CDN.
  ["swagger-ui-dist/swagger-ui-bundle.js", "swagger-ui/swagger-ui-bundle.js"],
  ["swagger-ui-dist/swagger-ui.css", "swagger-ui/swagger-ui.css"],
  ["swagger-ui-dist/LICENSE", "swagger-ui/LICENSE"],
];
// Debian's fonts-noto-core (SIL Open Font License 1.1): Arabic in an Arabic typeface everywhere.
const fonts = [
  ["/usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf", "fonts/NotoNaskhArabic-Regular.ttf"],
  ["/usr/share/fonts/truetype/noto/NotoNaskhArabic-Bold.ttf", "fonts/NotoNaskhArabic-Bold.ttf"],
  ["/usr/share/doc/fonts-noto-core/copyright", "fonts/COPYRIGHT"],
];

rmSync(vendor, { recursive: true, force: true });
for (const [from, to] of copies) {
  const target = join(vendor, to);
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(join(here, "node_modules", from), target);
}
for (const [from, to] of fonts) {
  if (!existsSync(from)) {
    throw new Error(`${from} is missing: apt-get install fonts-noto-core`);
  }
  const target = join(vendor, to);
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(from, target);
}
console.log(`copied ${copies.length + fonts.length} files into ${vendor}`);
