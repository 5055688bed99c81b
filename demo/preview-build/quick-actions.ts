import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { z } from 'zod';

/** One LWC quick action of the package: the object it is on, its label and the component it opens. */
export interface QuickActionComponent {
  objectApiName: string;
  label: string;
  componentName: string;
}

const QUICK_ACTION_FILE =
  /^([A-Za-z0-9_]+)\.([A-Za-z0-9_]+)\.quickAction-meta\.xml$/;
const quickActionSchema = z.object({
  QuickAction: z.object({
    label: z.string().min(1),
    type: z.string(),
    lightningWebComponent: z.string().optional()
  })
});

/**
 * The object-specific LWC quick actions in `force-app/main/default/quickActions`
 * (`<Object>.<Name>.quickAction-meta.xml`): which component the preview shows on which record page,
 * and the action's label, the header Field Service mobile puts over it.
 */
export function readQuickActions(dir: string): QuickActionComponent[] {
  if (!existsSync(dir)) return [];
  const parser = new XMLParser({ parseTagValue: false });
  return readdirSync(dir)
    .sort()
    .flatMap((file) => {
      const match = QUICK_ACTION_FILE.exec(file);
      if (!match?.[1]) return [];
      const { QuickAction: action } = quickActionSchema.parse(
        parser.parse(readFileSync(join(dir, file), 'utf8'))
      );
      if (
        action.type !== 'LightningWebComponent' ||
        !action.lightningWebComponent
      )
        return [];
      return [
        {
          objectApiName: match[1],
          label: action.label,
          componentName: action.lightningWebComponent
        }
      ];
    });
}
