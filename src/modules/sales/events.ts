/** Domain events of the sales module's leads (API.md: `resource.verb`), written to the outbox. */
export const LEAD_EVENTS = {
  created: 'lead.created',
  updated: 'lead.updated',
  deleted: 'lead.deleted',
  restored: 'lead.restored',
  /** The owner was set or changed (on create by a rule or by hand, or on update). */
  assigned: 'lead.assigned',
  converted: 'lead.converted',
  /** Its personal data was erased (GDPR Art. 17); the payload is only its id. */
  erased: 'lead.erased',
  /** A lead waited longer than its reminder time without an owner; once per lead. */
  unassignedReminder: 'lead.unassigned_reminder',
} as const;

/** The lead's own fields of `lead.assigned`, besides the common ones every `<record>.assigned` carries (platform/outbox AssignedPayload). */
export interface LeadAssignedPayload {
  leadId: string;
  ownerId: string | null;
  previousOwnerId: string | null;
  teamId: string | null;
  /** The assignment rule that chose the owner; null when a person did. */
  ruleId: string | null;
}

/** The payload of `lead.converted`. */
export interface LeadConvertedPayload {
  leadId: string;
  contactId: string;
  companyId: string | null;
  dealId: string | null;
  contactCreated: boolean;
  companyCreated: boolean;
}

/** The payload of `lead.unassigned_reminder`. */
export interface LeadUnassignedReminderPayload {
  leadId: string;
  teamId: string | null;
  /** Who was told: the managers of the lead's team (none when it has no team). */
  managerIds: string[];
  waitingSince: string;
}
