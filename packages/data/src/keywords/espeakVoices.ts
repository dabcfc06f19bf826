/**
 * The voice names below are plain data (strings eSpeak NG understands); nothing here runs or links
 * eSpeak. A synthesizer that uses them passes {@link ESPEAK_VOICES} as its `voices`.
 */

/**
 * eSpeak NG's English accents: pronunciation rules and intonation (vowel qualities, rhoticity,
 * stress) differ, and each session draws one for both splits.
 */
export const ESPEAK_ACCENTS = [
  'en-us',
  'en-us-nyc',
  'en-gb',
  'en-gb-x-rp',
  'en-gb-scotland',
  'en-gb-x-gbclan',
  'en-gb-x-gbcwmd',
  'en-029',
] as const;

/**
 * eSpeak NG voice variants: speaker characteristics (formant frequencies and bandwidths, i.e.
 * vocal-tract size; base pitch and its range; breathiness, roughness, tone). A "voice" of the
 * dataset is one variant; each appears in exactly one split, so test accuracy is measured on
 * speakers the model never heard. Robot, whisper and klatt variants are left out (the klatt
 * synthesizer is not in this build, so klatt* fall back to one identical voice), as are exact
 * duplicates (edward2 = edward). The test set holds 12 of 48 (5 female-sounding, 7 male).
 */
export const ESPEAK_TRAIN_VARIANTS = [
  'm1',
  'm2',
  'm4',
  'm5',
  'm7',
  'm8',
  'f1',
  'f3',
  'f4',
  'adam',
  'Alex',
  'Alicia',
  'Andrea',
  'Andy',
  'anika',
  'aunty',
  'benjamin',
  'caleb',
  'croak',
  'david',
  'Denis',
  'ed',
  'Gene',
  'grandpa',
  'iven',
  'Jacky',
  'Lee',
  'linda',
  'max',
  'michel',
  'Nguyen',
  'norbert',
  'paul',
  'steph',
  'travis',
  'victor',
] as const;

/**
 * eSpeak NG speaker variants reserved for the test split of the keyword dataset, disjoint from the
 * training variants, so test voices are never heard in training.
 */
export const ESPEAK_TEST_VARIANTS = [
  'm3',
  'm6',
  'f2',
  'f5',
  'Annie',
  'belinda',
  'grandma',
  'john',
  'Mike',
  'quincy',
  'sandro',
  'shelby',
] as const;

/** The eSpeak NG voice set of the keyword dataset: accents and disjoint train/test speaker variants. */
export const ESPEAK_VOICES = {
  accents: ESPEAK_ACCENTS,
  train: ESPEAK_TRAIN_VARIANTS,
  test: ESPEAK_TEST_VARIANTS,
} as const;
