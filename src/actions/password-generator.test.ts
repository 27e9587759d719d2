import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generatePassword } from './password-generator.js';

test('generated passwords have 20 characters from all four classes and differ each time', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 200; i++) {
    const password = generatePassword();
    assert.equal(password.length, 20);
    assert.match(password, /[a-z]/);
    assert.match(password, /[A-Z]/);
    assert.match(password, /[0-9]/);
    assert.match(password, /[^a-zA-Z0-9]/);
    seen.add(password);
  }
  assert.equal(seen.size, 200);
});
