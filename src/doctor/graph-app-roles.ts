/**
 * Microsoft Graph's application permissions (app roles) that gatehouse asks for, with their ids. The ids are the
 * same in every tenant and every national cloud (only the Graph service principal's object id differs).
 * Sources: https://learn.microsoft.com/graph/permissions-reference (microsoftgraph/microsoft-graph-docs-contrib
 * `concepts/includes/permissions-ids.md`), facts G.1.
 */
export const MICROSOFT_GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';

export const GRAPH_APP_ROLE_IDS: Readonly<Record<string, string>> = {
  'User.Read.All': 'df021288-bdef-4463-88db-98f22de89214',
  'User.ReadWrite.All': '741f803b-c850-494e-b5df-cde7c675a1ca',
  'User.EnableDisableAccount.All': '3011c876-62b7-4ada-afa2-506cbbecc68c',
  // https://learn.microsoft.com/graph/permissions-reference#userdeleterestoreall
  'User.DeleteRestore.All': 'eccc023d-eccf-4e7b-9683-8813ab36cecc',
  'Group.Read.All': '5b567255-7703-4780-807c-7be8301ae99b',
  'Group.ReadWrite.All': '62a82d76-70ea-41e2-9197-370581804d09',
  'GroupMember.Read.All': '98830695-27a2-44f7-8c18-0c3ebc9698f6',
  'GroupMember.ReadWrite.All': 'dbaae8cf-10b5-4b86-a4a1-f871c94c6695',
  'Directory.Read.All': '7ab1d382-f21e-4acd-a863-ba3e13f7da61',
  'Directory.ReadWrite.All': '19dbc75e-c2e2-444c-a770-ec69d8559fc7',
  'Application.Read.All': '9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30',
};

/** The app role id of a Graph application permission; throws for a permission gatehouse does not know (a bug). */
export function graphAppRoleId(permission: string): string {
  const id = GRAPH_APP_ROLE_IDS[permission];
  if (!id) throw new Error(`No Microsoft Graph app role id is known for ${permission}.`);
  return id;
}
