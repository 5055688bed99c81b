// Lightning apps and the tabs they show (rule `app-reference`): what a deploy rejects when an app,
// tab or permission set names something the package does not have. Metadata API Developer Guide:
// "CustomApplication" (tabs, defaultLandingTab, utilityBar), "CustomTab" (a Lightning page tab names a
// FlexiPage of type AppPage and needs a label and a motif), "PermissionSet" (applicationVisibilities).
import { basename } from 'node:path';
import type { Problem, XmlFile } from './read-project.ts';
import { nodes, text, texts } from '../../sandboxes/salesforce/metadata/xml.ts';

const nameOf = (file: XmlFile, suffix: string) =>
  basename(file.file).replace(suffix, '');

/** Apps name existing tabs; app page tabs name AppPage flexipages; permission sets name existing apps. */
export function checkApps(xml: readonly XmlFile[]): Problem[] {
  const problems: Problem[] = [];
  const add = (file: XmlFile, message: string) =>
    problems.push({ file: file.file, rule: 'app-reference', message });
  const tabs = new Set(
    xml
      .filter((f) => f.root === 'CustomTab')
      .map((f) => nameOf(f, '.tab-meta.xml'))
  );
  const pages = new Map(
    xml
      .filter((f) => f.root === 'FlexiPage')
      .map((f) => [nameOf(f, '.flexipage-meta.xml'), text(f.body, 'type')])
  );
  const apps = new Set(
    xml
      .filter((f) => f.root === 'CustomApplication')
      .map((f) => nameOf(f, '.app-meta.xml'))
  );
  const knownTab = (tab: string) =>
    tab.startsWith('standard-') || tabs.has(tab);
  for (const file of xml) {
    if (file.root === 'CustomApplication') {
      const appTabs = texts(file.body, 'tabs');
      for (const tab of appTabs.filter((t) => !knownTab(t)))
        add(file, `tab ${tab}: no such tab in force-app`);
      const landing = text(file.body, 'defaultLandingTab');
      if (landing && !appTabs.includes(landing))
        add(file, `defaultLandingTab ${landing} is not one of the app's tabs`);
      const utilityBar = text(file.body, 'utilityBar');
      if (utilityBar && pages.get(utilityBar) !== 'UtilityBar')
        add(
          file,
          `utilityBar ${utilityBar}: no UtilityBar flexipage of that name`
        );
      if (text(file.body, 'label') === '') add(file, 'an app needs a <label>');
    }
    if (file.root === 'CustomTab') {
      const page = text(file.body, 'flexiPage');
      if (!page) continue;
      const type = pages.get(page);
      if (type === undefined)
        add(file, `flexiPage ${page}: no flexipage of that name in force-app`);
      else if (type !== 'AppPage')
        add(
          file,
          `flexiPage ${page} is a ${type}: a Lightning page tab shows an AppPage`
        );
      if (text(file.body, 'label') === '')
        add(file, 'a Lightning page tab needs a <label>');
      if (text(file.body, 'motif') === '')
        add(file, 'a Lightning page tab needs a <motif>');
    }
    if (file.root === 'PermissionSet') {
      for (const visibility of nodes(file.body, 'applicationVisibilities')) {
        const app = text(visibility, 'application');
        if (!app.startsWith('standard__') && !apps.has(app))
          add(
            file,
            `application visibility for ${app}: no such app in force-app`
          );
      }
    }
  }
  return problems;
}
