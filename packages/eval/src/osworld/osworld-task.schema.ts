import { z } from 'zod';

/**
 * The shape of an OSWorld task file (evaluation_examples/examples/<app>/<id>.json), as far as the runner
 * reads it. Fields it does not use (snapshot, source, trajectory, proxy...) are allowed and ignored, so
 * files written for OSWorld load unchanged. Each step's parameters and each getter's fields are checked
 * by the module that runs them, once the type is known to be supported.
 */

const parameters = z.record(z.string(), z.unknown());

/** One step of `config` or `evaluator.postconfig`: OSWorld names the step's function by its type. */
export const setupStepSchema = z.object({
  type: z.string().min(1),
  parameters: parameters.default({}),
});
export type RawSetupStep = z.output<typeof setupStepSchema>;

/** Where a metric's input comes from (a file, a command's output, a literal rule...), by type. */
export const getterSpecSchema = z.looseObject({ type: z.string().min(1) });
export type RawGetterSpec = z.output<typeof getterSpecSchema>;

const functionName = z.string().min(1);

export const evaluatorSchema = z.looseObject({
  func: z.union([functionName, z.array(functionName).min(1)]),
  /** With several functions: all must give full marks ("and", the default) or one ("or"). */
  conj: z.enum(['and', 'or']).optional(),
  result: z
    .union([getterSpecSchema, z.array(getterSpecSchema.nullable())])
    .nullable()
    .optional(),
  expected: z
    .union([getterSpecSchema, z.array(getterSpecSchema.nullable())])
    .nullable()
    .optional(),
  options: z
    .union([parameters, z.array(parameters.nullable())])
    .nullable()
    .optional(),
  postconfig: z.array(setupStepSchema).optional(),
});
export type RawEvaluator = z.output<typeof evaluatorSchema>;

export const osworldTaskSchema = z.looseObject({
  // A refinement, not .regex(): its message reaches the author as written.
  id: z
    .string()
    .refine(
      (id) => /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(id),
      'letters, digits, ".", "_" and "-" only, starting with a letter or digit (it names the report folder)',
    ),
  instruction: z.string().min(1),
  config: z.array(setupStepSchema).default([]),
  evaluator: evaluatorSchema,
  related_apps: z.array(z.string()).optional(),
  /** Not OSWorld's: some task sets add it; the report shows it (default medium). */
  difficulty: z.enum(['easy', 'medium', 'hard']).optional(),
});
export type RawOsworldTask = z.output<typeof osworldTaskSchema>;
