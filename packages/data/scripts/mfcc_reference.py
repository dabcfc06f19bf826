"""Reference numbers for packages/data/src/audio/features.test.ts, computed independently of
tenzo with numpy's FFT and scipy's DCT. Run: python3 packages/data/scripts/mfcc_reference.py

Pipeline (the one AudioFeatureExtractor documents): frames of win_length samples at hop,
periodic Hann window, zero-padded at the end to n_fft, |rfft|^2, librosa-style Slaney mel
filterbank (Slaney scale, equal-area norm, exact bin frequencies), ln(max(E, 1e-10)),
orthonormal DCT-II, first n_mfcc kept.
"""
import numpy as np
from scipy.fft import dct

sr, n_fft, win, hop, n_mels, n_mfcc = 16000, 256, 200, 128, 20, 8
n = np.arange(1024)
x = (0.5 * np.sin(2 * np.pi * 440 * n / sr)
     + 0.25 * np.sin(2 * np.pi * 1250 * n / sr + 0.3)
     + 0.1 * np.sin(2 * np.pi * (300 + 2.0 * n) * n / sr)
     # a broadband pseudo-random term, so no mel band sits at the log floor
     + 0.01 * ((n * 7919) % 1000 / 1000 - 0.5))

def hz_to_mel(f):
    f = np.asarray(f, dtype=float)
    lin = f / (200 / 3)
    return np.where(f < 1000, lin, 15 + np.log(np.maximum(f, 1e-9) / 1000) / (np.log(6.4) / 27))

def mel_to_hz(m):
    m = np.asarray(m, dtype=float)
    return np.where(m < 15, m * 200 / 3, 1000 * np.exp(np.log(6.4) / 27 * (m - 15)))

def mel_fb():
    fft_f = np.arange(n_fft // 2 + 1) * sr / n_fft
    edges = mel_to_hz(np.linspace(hz_to_mel(0), hz_to_mel(sr / 2), n_mels + 2))
    fb = np.zeros((n_mels, n_fft // 2 + 1))
    for m in range(n_mels):
        lo, c, hi = edges[m], edges[m + 1], edges[m + 2]
        fb[m] = np.maximum(0, np.minimum((fft_f - lo) / (c - lo), (hi - fft_f) / (hi - c))) * 2 / (hi - lo)
    return fb

w = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(win) / win)
frames = 1 + (len(x) - win) // hop
spec = np.stack([np.abs(np.fft.rfft(np.pad(x[t * hop:t * hop + win] * w, (0, n_fft - win)))) ** 2
                 for t in range(frames)])
logmel = np.log(np.maximum(spec @ mel_fb().T, 1e-10))
mfcc = dct(logmel, type=2, norm='ortho', axis=1)[:, :n_mfcc]
np.set_printoptions(precision=17)
print('frames', frames)
print('logmel[0]', ', '.join(repr(float(v)) for v in logmel[0]))
print('mfcc', ', '.join(repr(float(v)) for v in mfcc.ravel()))
print('slaney mel of 0, 60, 500, 1000, 2000, 4000, 8000 Hz:',
      ', '.join(repr(float(v)) for v in hz_to_mel([0, 60, 500, 1000, 2000, 4000, 8000])))
print('htk mel of 1000, 4000, 8000 Hz:',
      ', '.join(repr(float(v)) for v in 2595 * np.log10(1 + np.array([1000, 4000, 8000]) / 700)))
