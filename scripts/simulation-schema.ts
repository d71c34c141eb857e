/** `npm run simulate:schema`: writes simulations/model.schema.json from the model's zod schema. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { MODELS_DIR, modelJsonSchema } from '../src/simulation/model';

writeFileSync(path.join(MODELS_DIR, 'model.schema.json'), `${JSON.stringify(modelJsonSchema(), null, 2)}\n`);
