/**
 * How strongly a frequency is present in a block of 8 kHz samples (the
 * Goertzel algorithm), as a fraction of the block's energy: near 1 for a
 * pure tone at that frequency, near 0 for silence or another tone.
 */
export function toneShare(samples: Int16Array, frequencyHz: number, sampleRate = 8000): number {
  const n = samples.length;
  if (n === 0) return 0;
  const k = Math.round((n * frequencyHz) / sampleRate);
  const w = (2 * Math.PI * k) / n;
  const coeff = 2 * Math.cos(w);
  let s1 = 0;
  let s2 = 0;
  let energy = 0;
  for (const x of samples) {
    const s0 = x + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
    energy += x * x;
  }
  if (energy === 0) return 0;
  const power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
  return (2 * power) / (n * energy);
}
