// The paper's experiments (docs/paper.md "Experiments"), one module each.
export { runFig2, fig2CSV, fig2Config } from "./fig2.js";
export type { Fig2Options, Fig2Result, Fig2Series, Fig2Model } from "./fig2.js";
export { runFig3, fig3Config } from "./fig3.js";
export type { Fig3Options, Fig3Panel, Fig3Scenario } from "./fig3.js";
export { runMetastability } from "./metastability.js";
export type { MetastabilityOptions, MetastabilityResult, MetastabilityRun } from "./metastability.js";
export { runMeanField } from "./meanField.js";
export type { MeanFieldOptions, MeanFieldResult } from "./meanField.js";
export { runLostInTheMiddle, lostInTheMiddleCSV, lostInTheMiddleOptions, uShape } from "./lostInTheMiddle.js";
export type { LostInTheMiddleOptions, LostInTheMiddleProfile, LostInTheMiddleResult } from "./lostInTheMiddle.js";
