// The project's own file formats whose JSON Schemas are generated from TypeScript types
// (typescript-json-schema) into generated/. The build writes them; check:generated compares them.
export interface SchemaTarget {
  /** TypeScript file that declares the type, relative to the repository root. */
  source: string;
  /** Exported type name. */
  type: string;
  /** Output file, relative to the repository root. */
  out: string;
}

export const schemaTargets: SchemaTarget[] = [
  { source: 'mock/config.ts', type: 'MockConfig', out: 'generated/mock-config.schema.json' },
  { source: 'conformance/config.ts', type: 'ConformanceConfig', out: 'generated/conformance-config.schema.json' },
  { source: 'conformance/report.ts', type: 'ConformanceReport', out: 'generated/conformance-report.schema.json' },
];
