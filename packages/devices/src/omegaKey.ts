/**
 * The ω a simulator's matrix A(ω) was last built for. Queries repeat settings — the surrogate
 * update's f1 and the forward pass that follows it, the next update's f0 — and rebuilding A costs
 * a transcendental per entry (65,536 at 256×256), so the simulators skip the rebuild on a match.
 */
export class OmegaKey {
  private readonly key: Float64Array;
  private valid = false;

  constructor(size: number) {
    this.key = new Float64Array(size);
  }

  /** true when A was last built for exactly this ω */
  matches(omega: Float64Array): boolean {
    if (!this.valid) return false;
    const k = this.key;
    for (let i = 0; i < k.length; i++) if (k[i] !== omega[i]) return false;
    return true;
  }

  remember(omega: Float64Array): void {
    this.key.set(omega);
    this.valid = true;
  }

  /** A was rebuilt for something other than a commanded ω (noisy phases): nothing matches */
  forget(): void {
    this.valid = false;
  }
}
