// Deterministic word-cloud layout: biggest words first, each placed on an Archimedean
// spiral at the first spot where its (measured) box overlaps no earlier box.
let measureContext = null;

function measure(text, size, fontFamily) {
  if (!measureContext) measureContext = document.createElement('canvas').getContext('2d');
  if (!measureContext) return text.length * size * 0.62;
  measureContext.font = `700 ${size}px ${fontFamily}`;
  return measureContext.measureText(text).width;
}

function overlaps(a, b) {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

export function layoutWords(words, { width, height, minSize, maxSize, fontFamily }) {
  const sorted = [...words].sort((a, b) => b.count - a.count || a.word.localeCompare(b.word));
  if (!sorted.length) return [];
  const top = sorted[0].count;
  const bottom = sorted[sorted.length - 1].count;
  const placed = [];
  const pad = 4;
  sorted.forEach((entry, index) => {
    const weight = top === bottom ? 1 : Math.sqrt((entry.count - bottom) / (top - bottom));
    let size = Math.round(minSize + (maxSize - minSize) * weight);
    while (size >= minSize * 0.7) {
      const w = measure(entry.word, size, fontFamily) + pad * 2;
      const h = size * 1.15 + pad * 2;
      const spot = findSpot(w, h, width, height, placed);
      if (spot) {
        placed.push({ ...entry, size, x: spot.x, y: spot.y, w, h, tone: index % 3 });
        return;
      }
      size = Math.floor(size * 0.85);
    }
  });
  return placed.map((box) => ({
    word: box.word,
    count: box.count,
    size: box.size,
    tone: box.tone,
    cx: box.x + box.w / 2,
    // Baseline: the box is ~1.15 em high; the alphabetic baseline sits at ~0.85 of it.
    baseline: box.y + 4 + box.size * 0.88,
  }));
}

function findSpot(w, h, width, height, placed) {
  const aspect = width / height;
  for (let step = 0; step < 4000; step += 1) {
    const angle = step * 0.3;
    const radius = step * 0.9;
    const x = width / 2 + radius * Math.cos(angle) * Math.sqrt(aspect) - w / 2;
    const y = height / 2 + (radius * Math.sin(angle)) / Math.sqrt(aspect) - h / 2;
    if (x < 0 || y < 0 || x + w > width || y + h > height) {
      if (radius > Math.max(width, height)) return null;
      continue;
    }
    const box = { x, y, w, h };
    if (!placed.some((other) => overlaps(box, other))) return box;
  }
  return null;
}
