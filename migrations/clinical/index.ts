/** Clinical database migrations, in order. `npm run migration:generate:clinical` adds to this list. */
import { MigrationInterface } from 'typeorm';
import { Init1795346153176 } from './1795346153176-Init';
import { AccessLogAppendOnly1795346200001 } from './1795346200001-AccessLogAppendOnly';
import { AccessLogHashChain1795350778262 } from './1795350778262-AccessLogHashChain';
import { AccessLogV21795352867545 } from './1795352867545-AccessLogV2';
import { AccessLogEmergencyIndex1795353274213 } from './1795353274213-AccessLogEmergencyIndex';
import { ClinicalChangeLog1795352561601 } from './1795352561601-ClinicalChangeLog';
import { AuditLogClock1796160118683 } from './1796160118683-AuditLogClock';
import { ChangeLogRedaction1796190272118 } from './1796190272118-ChangeLogRedaction';
import { ClinicalTextEncryption1796281963684 } from './1796281963684-ClinicalTextEncryption';
import { AccessLogGroupCommit1796289137213 } from './1796289137213-AccessLogGroupCommit';
import { ClientEncryptedSoapNotes1796298570615 } from './1796298570615-ClientEncryptedSoapNotes';
import { AccessLogLeanAppend1796300000000 } from './1796300000000-AccessLogLeanAppend';

export const clinicalMigrations: (new () => MigrationInterface)[] = [Init1795346153176, AccessLogAppendOnly1795346200001, AccessLogHashChain1795350778262, AccessLogV21795352867545, AccessLogEmergencyIndex1795353274213, ClinicalChangeLog1795352561601, AuditLogClock1796160118683, ChangeLogRedaction1796190272118, ClinicalTextEncryption1796281963684, AccessLogGroupCommit1796289137213, ClientEncryptedSoapNotes1796298570615, AccessLogLeanAppend1796300000000];
