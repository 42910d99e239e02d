import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

// Schemas call `.openapi(...)` when their module loads: the extension must run first, whatever the import order.
extendZodWithOpenApi(z);

export { z };
