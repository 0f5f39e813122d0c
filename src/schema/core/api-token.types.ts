/**
 * The answer to createApiToken: the token text, shown this once (only its hash is kept), and the token's record.
 */
import { Field, ObjectType } from 'type-graphql';
import { ApiToken } from './api-token.entity';

@ObjectType('CreatedApiToken', { description: 'A new API token: its text is shown only here, once.' })
export class CreatedApiToken {
  @Field({ nullable: false, description: 'The token text (`vsa_…`): send as `Authorization: Bearer <token>`. Not shown again: store it now.' })
  token: string;

  @Field(() => ApiToken, { nullable: false })
  apiToken: ApiToken;
}
