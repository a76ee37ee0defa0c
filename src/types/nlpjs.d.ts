// The parts of nlp.js the understanding module uses; the packages ship no types of their own.

declare module '@nlpjs/neural' {
  export interface TrainingItem {
    input: Record<string, number>;
    output: Record<string, number>;
  }
  export class NeuralNetwork {
    constructor(settings?: { log?: boolean; iterations?: number; deltaErrorThresh?: number });
    train(corpus: TrainingItem[]): { error: number; iterations: number };
    run(input: Record<string, number>): Record<string, number> | undefined;
    toJSON(): unknown;
    fromJSON(json: unknown): void;
  }
}

declare module '@nlpjs/lang-ar' {
  export class StemmerAr {
    stem(tokens: string[]): string[];
  }
}

declare module '@nlpjs/lang-en-min' {
  export class StemmerEn {
    stem(tokens: string[]): string[];
  }
}
