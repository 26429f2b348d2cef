/** Literature notes: where a paper's note goes, and the template filled with the paper's data. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fillTemplate, noteFileName, noteVariables, planLiteratureNote } from '../../server/src/features/literatureNote';
import { DEFAULT_NOTE_TEMPLATE, DEFAULT_SETTINGS } from '../../server/src/shared/settings';
import { TULU, workspace } from './workspace';

function paper(key: string, files: Record<string, string> = { 'file:///w/tulu.digest.txt': TULU }) {
  const found = workspace(files).index.paperByKey(key);
  assert.ok(found, `no paper ${key}`);
  return found;
}

describe('literature notes', () => {
  it('fills the default template with the paper\'s title, key, date, upvotes, abstract and link', () => {
    const text = fillTemplate(DEFAULT_NOTE_TEMPLATE, noteVariables(paper('fipo2024')));
    assert.match(text, /^---\ntitle: "FIPO: Free-form Instruction-oriented Prompt Optimization with Preference Dataset and Modular Fine-tuning Schema"\ncitekey: fipo2024\ndate: 2024-02-18\n---\n/);
    assert.match(text, /\n# FIPO: Free-form/);
    assert.match(text, /\[@fipo2024\] · 2024-02-18 · 0 upvotes · \[Hugging Face Papers\]\(https:\/\/huggingface\.co\/papers\?q=FIPO%3A%20Free-form%20/);
    assert.match(text, /## Abstract\n\n> In the quest to facilitate the deep intelligence .* https:\/\/github\.com\/LuJunru\/FIPO_Project\.\n\n## Notes\n/);
    assert.doesNotMatch(text, /\{\{/, 'every placeholder filled');
  });

  it('fills every variable, with spaces inside the braces, and leaves unknown names as written', () => {
    const variables = noteVariables(paper('camels-changing-climate2023'));
    assert.deepEqual({ ...variables, abstract: variables.abstract.slice(0, 24) }, {
      key: 'camels-changing-climate2023',
      title: 'Camels in a Changing Climate: Enhancing LM Adaptation with Tulu 2',
      date: '2023-11-17',
      year: '2023',
      abstract: 'Since the release of T\\"',
      upvotes: '20',
      url: 'https://huggingface.co/papers?q=Camels%20in%20a%20Changing%20Climate%3A%20Enhancing%20LM%20Adaptation%20with%20Tulu%202',
      hf: 'https://huggingface.co/papers?q=Camels%20in%20a%20Changing%20Climate%3A%20Enhancing%20LM%20Adaptation%20with%20Tulu%202',
      authors: '',
      arxiv: '',
      pdf: '',
    });
    assert.equal(fillTemplate('{{ key }} ({{year}}) {{tilte}} {{constructor}}', variables), 'camels-changing-climate2023 (2023) {{tilte}} {{constructor}}');
  });

  it('fills the metadata variables from the metadata line, and links the paper page', () => {
    const camels = paper('camels-changing-climate2023', {
      'file:///w/camels.digest': '20 Camels in a Changing Climate: Enhancing LM Adaptation with Tulu 2 || Since then. 11 authors · Nov 17, 2023\narXiv: 2311.10702 · authors: Hamish Ivison, Yizhong Wang',
    });
    const variables = noteVariables(camels);
    assert.deepEqual([variables.authors, variables.arxiv, variables.pdf, variables.hf, variables.url], [
      'Hamish Ivison, Yizhong Wang', '2311.10702', 'https://arxiv.org/pdf/2311.10702', 'https://huggingface.co/papers/2311.10702', 'https://huggingface.co/papers/2311.10702',
    ]);
  });

  it('names the note after the key, and plans it in the notes folder of the base folder', () => {
    const camels = paper('camels-changing-climate2023');
    assert.equal(noteFileName(camels), 'camels-changing-climate2023.md');
    const plan = planLiteratureNote(camels, '/w', DEFAULT_SETTINGS.notes);
    assert.equal(plan.path, join('/w', 'notes', 'camels-changing-climate2023.md'));
    assert.equal(plan.text, fillTemplate(DEFAULT_NOTE_TEMPLATE, noteVariables(camels)));
    assert.deepEqual(planLiteratureNote(camels, '/w', { folder: 'reading/papers', template: '# {{title}}' }), { path: join('/w', 'reading', 'papers', 'camels-changing-climate2023.md'), text: '# Camels in a Changing Climate: Enhancing LM Adaptation with Tulu 2' });
  });

  it('makes a safe file name of a hostile title', () => {
    const evil = paper('img-srcx-onerroralert1-2024', { 'file:///w/evil.digest': '9 <img src=x onerror=alert(1)> ../../etc Evil || We study. 2 authors · Jan 5, 2024' });
    assert.equal(noteFileName(evil), 'img-srcx-onerroralert1-2024.md');
  });
});
