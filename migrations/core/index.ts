/** Core database migrations, in order. `npm run migration:generate:core` adds to this list. */
import { MigrationInterface } from 'typeorm';
import { Init1795346151803 } from './1795346151803-Init';
import { ConsentEventAppendOnly1795346200000 } from './1795346200000-ConsentEventAppendOnly';
import { OneOpenSessionPerUser1795348013395 } from './1795348013395-OneOpenSessionPerUser';
import { LoginAttempts1795348076833 } from './1795348076833-LoginAttempts';
import { RoleMatrix1795348576640 } from './1795348576640-RoleMatrix';
import { EmergencyAccess1795353158671 } from './1795353158671-EmergencyAccess';
import { PersonalChangeLog1795352560153 } from './1795352560153-PersonalChangeLog';
import { AnomalyAlerts1795353787145 } from './1795353787145-AnomalyAlerts';
import { AuditSubjectsForRoleManagers1795354900000 } from './1795354900000-AuditSubjectsForRoleManagers';
import { CustomerChangeLogEntries1796160102268 } from './1796160102268-CustomerChangeLogEntries';
import { ChangeLogClock1796160118684 } from './1796160118684-ChangeLogClock';
import { BookingRules1796160739337 } from './1796160739337-BookingRules';
import { UnsubscribeLinks1796161167032 } from './1796161167032-UnsubscribeLinks';
import { SecuritySettingHistory1796164698115 } from './1796164698115-SecuritySettingHistory';
import { RegionsForRoleManagers1796170000000 } from './1796170000000-RegionsForRoleManagers';
import { RestrictionObjectionSuppression1796180831971 } from './1796180831971-RestrictionObjectionSuppression';
import { ConsentProof1796180909005 } from './1796180909005-ConsentProof';
import { ApiTokens1796180921094 } from './1796180921094-ApiTokens';
import { MarketingListExport1796181206706 } from './1796181206706-MarketingListExport';
import { SuppressionWithoutObjectionKey1796182436779 } from './1796182436779-SuppressionWithoutObjectionKey';
import { DataRequests1796189950351 } from './1796189950351-DataRequests';
import { LegalHoldsAndRetention1796190106712 } from './1796190106712-LegalHoldsAndRetention';
import { ChangeLogRedaction1796190264182 } from './1796190264182-ChangeLogRedaction';

export const coreMigrations: (new () => MigrationInterface)[] = [Init1795346151803, ConsentEventAppendOnly1795346200000, OneOpenSessionPerUser1795348013395, LoginAttempts1795348076833, RoleMatrix1795348576640, EmergencyAccess1795353158671, PersonalChangeLog1795352560153, AnomalyAlerts1795353787145, AuditSubjectsForRoleManagers1795354900000, CustomerChangeLogEntries1796160102268, ChangeLogClock1796160118684, BookingRules1796160739337, UnsubscribeLinks1796161167032, SecuritySettingHistory1796164698115, RegionsForRoleManagers1796170000000, RestrictionObjectionSuppression1796180831971, ConsentProof1796180909005, ApiTokens1796180921094, MarketingListExport1796181206706, SuppressionWithoutObjectionKey1796182436779, DataRequests1796189950351, LegalHoldsAndRetention1796190106712, ChangeLogRedaction1796190264182];
