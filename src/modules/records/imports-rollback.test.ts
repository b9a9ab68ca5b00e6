import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  registerOrganization,
  salesOrganization,
  uploadImport,
  type TestUser,
} from '../../../test/factories.js';
import { client, createTestApp, errorOf, type TestApp } from '../../../test/harness.js';
import { runDueJobs } from '../../../test/jobs.js';

// Issue 11, item 1: a rollback needs the right to delete (and edit) every record it touches, within
// the actor's scope, and sends what it removes to the trash instead of deleting it for good.
describe('import rollback: scope and trash', () => {
  let t: TestApp;
  let admin: TestUser;
  let rep: TestUser;
  let teammate: TestUser;
  let outsider: TestUser;
  beforeAll(async () => {
    t = await createTestApp();
    ({ admin, rep, teammate, outsider } = await salesOrganization(t.app, 'Rollback'));
  });
  afterAll(() => t.close());

  const api = (u: TestUser) => client(t.app, u.token);
  const importContacts = async (u: TestUser, csv: string, fields: Record<string, string> = {}) => {
    const res = await uploadImport(t.app, u, { dedupe: 'skip', ...fields }, csv);
    expect(res.statusCode, res.body).toBe(202);
    await runDueJobs(t.deps);
    const done = (await api(u).get(`/api/v1/imports/${res.json().id}`)).json();
    expect(done.status).toBe('done');
    return done as { id: string; created: number; updated: number };
  };
  const contactByEmail = async (email: string) =>
    (await api(admin).get(`/api/v1/contacts?filter[email]=${email}`)).json().data[0] as
      { id: string; ownerId: string; version: number } | undefined;

  it("refuses a rep rolling back the admin's import, and deletes nothing", async () => {
    const imp = await importContacts(
      admin,
      'Email\nboss1@rollback.example\nboss2@rollback.example\n',
    );
    expect(imp.created).toBe(2);
    const res = await api(rep).post(`/api/v1/imports/${imp.id}/rollback`);
    // The rep may not even read an import outside their team: it answers like a missing one.
    expect(res.statusCode).toBe(404);
    expect(errorOf(res).traceId).toEqual(expect.any(String));
    expect(await contactByEmail('boss1@rollback.example')).toBeDefined();
    expect(await contactByEmail('boss2@rollback.example')).toBeDefined();
    expect((await api(admin).get(`/api/v1/imports/${imp.id}`)).json().status).toBe('done');
  });

  it("refuses a rep rolling back a teammate's import (reps delete only their own records)", async () => {
    const imp = await importContacts(teammate, 'Email\nmate@rollback.example\n');
    const res = await api(rep).post(`/api/v1/imports/${imp.id}/rollback`);
    expect(res.statusCode).toBe(403);
    expect(await contactByEmail('mate@rollback.example')).toBeDefined();
  });

  it('lets a rep roll back their own import; the records go to the trash and can be restored', async () => {
    const imp = await importContacts(
      rep,
      'Email,First Name\nown1@rollback.example,Own\nown2@rollback.example,Two\n',
    );
    const created = await contactByEmail('own1@rollback.example');
    expect(created?.ownerId).toBe(rep.userId);
    const rolled = await api(rep).post(`/api/v1/imports/${imp.id}/rollback`);
    expect(rolled.statusCode, rolled.body).toBe(200);
    expect(rolled.json().status).toBe('rolled_back');
    expect(await contactByEmail('own1@rollback.example')).toBeUndefined();
    const restored = await api(rep).post(`/api/v1/contacts/${created?.id ?? ''}/restore`);
    expect(restored.statusCode, restored.body).toBe(200);
    expect(restored.json()).toMatchObject({ firstName: 'Own', deletedAt: null });
    // Each trashed record has its own audit entry, as a delete by hand would.
    const audit = (await api(admin).get(`/api/v1/audit-log?targetId=${created?.id ?? ''}`)).json()
      .data as Array<{ action: string; diff: unknown }>;
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['contact.deleted', 'contact.restored']),
    );
    expect(audit.find((a) => a.action === 'contact.deleted')?.diff).toEqual({
      rolledBackImport: imp.id,
    });
  });

  it("is all or nothing: one record reassigned out of the rep's reach blocks the whole rollback", async () => {
    const imp = await importContacts(
      rep,
      'Email\nkeep1@rollback.example\nkeep2@rollback.example\n',
    );
    const moved = await contactByEmail('keep2@rollback.example');
    const reassigned = await api(admin).patch(`/api/v1/contacts/${moved?.id ?? ''}`, {
      ownerId: outsider.userId,
    });
    expect(reassigned.statusCode, reassigned.body).toBe(200);
    const res = await api(rep).post(`/api/v1/imports/${imp.id}/rollback`);
    expect(res.statusCode).toBe(403);
    expect(errorOf(res)).toMatchObject({
      code: 'RECORDS_IMPORT_ROLLBACK_OUT_OF_SCOPE',
      details: { outOfScope: 1 },
    });
    expect(await contactByEmail('keep1@rollback.example')).toBeDefined();
    expect((await api(rep).get(`/api/v1/imports/${imp.id}`)).json().status).toBe('done');
    // Someone with the whole organization in scope can still undo it.
    const byAdmin = await api(admin).post(`/api/v1/imports/${imp.id}/rollback`);
    expect(byAdmin.statusCode, byAdmin.body).toBe(200);
    expect(await contactByEmail('keep1@rollback.example')).toBeUndefined();
    expect(await contactByEmail('keep2@rollback.example')).toBeUndefined();
  });

  it("needs update rights on the records an import changed, and restores them within the rep's team", async () => {
    const mate = (
      await api(teammate).post('/api/v1/contacts', {
        email: 'changed@rollback.example',
        title: 'Before',
      })
    ).json();
    const imp = await importContacts(rep, 'Email,Job Title\nchanged@rollback.example,After\n', {
      dedupe: 'update',
    });
    expect(imp.updated).toBe(1);
    const rolled = await api(rep).post(`/api/v1/imports/${imp.id}/rollback`);
    expect(rolled.statusCode, rolled.body).toBe(200);
    expect((await api(admin).get(`/api/v1/contacts/${mate.id}`)).json().title).toBe('Before');
  });

  it('answers 404 to another organization, and changes nothing there', async () => {
    const imp = await importContacts(admin, 'Email\nforeign@rollback.example\n');
    const stranger = await registerOrganization(t.app, 'RollbackStranger');
    expect((await api(stranger).post(`/api/v1/imports/${imp.id}/rollback`)).statusCode).toBe(404);
    expect((await api(stranger).get(`/api/v1/imports/${imp.id}`)).statusCode).toBe(404);
    expect(await contactByEmail('foreign@rollback.example')).toBeDefined();
  });
});
