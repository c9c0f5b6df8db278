import type { EvalSuite } from '../../eval-task.ts';
import { clipboardTasks } from './clipboard-tasks.ts';
import { fileManagerTasks } from './file-manager-tasks.ts';
import { firefoxTasks } from './firefox-tasks.ts';
import { hardPages } from './hard-pages.ts';
import { hardTasks } from './hard-tasks.ts';
import { infeasibleTasks } from './infeasible-tasks.ts';
import { morePages, moreTasks } from './more-tasks.ts';
import { multiAppTasks } from './multi-app-tasks.ts';
import { starterPages } from './pages.ts';
import { settingsTasks } from './settings-tasks.ts';
import { terminalTasks } from './terminal-tasks.ts';
import { textEditorTasks } from './text-editor-tasks.ts';

export const starterSuite: EvalSuite = {
  name: 'starter',
  description:
    "Tasks over the desktop's own applications: terminal, text editor, file manager, Firefox, settings.",
  tasks: [
    ...terminalTasks,
    ...textEditorTasks,
    ...fileManagerTasks,
    ...firefoxTasks,
    ...settingsTasks,
    ...clipboardTasks,
    ...multiAppTasks,
    ...infeasibleTasks,
    ...moreTasks,
    ...hardTasks,
  ],
  pages: { ...starterPages, ...hardPages, ...morePages },
};
