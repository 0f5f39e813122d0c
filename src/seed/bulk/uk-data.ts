/**
 * Reference data for the bulk seed (src/seed/bulk): UK regions and towns with their postcode areas, and the
 * first names, surnames and street names customers are drawn from. Obviously fictitious people; addresses
 * use real town names with made-up streets and postcodes.
 */

export const UK_REGIONS = [
  'North East', 'North West', 'Yorkshire', 'East Midlands', 'West Midlands', 'East of England', 'London',
  'South East', 'South West', 'Wales', 'Scotland', 'Northern Ireland',
] as const;

/** A town: its name, its region (index into UK_REGIONS) and its postcode area. */
export interface Town {
  name: string;
  region: number;
  area: string;
}

export const TOWNS: readonly Town[] = [
  { name: 'Newcastle', region: 0, area: 'NE' }, { name: 'Sunderland', region: 0, area: 'SR' }, { name: 'Durham', region: 0, area: 'DH' },
  { name: 'Middlesbrough', region: 0, area: 'TS' }, { name: 'Manchester', region: 1, area: 'M' }, { name: 'Liverpool', region: 1, area: 'L' },
  { name: 'Preston', region: 1, area: 'PR' }, { name: 'Chester', region: 1, area: 'CH' }, { name: 'Bolton', region: 1, area: 'BL' },
  { name: 'Lancaster', region: 1, area: 'LA' }, { name: 'Leeds', region: 2, area: 'LS' }, { name: 'Sheffield', region: 2, area: 'S' },
  { name: 'York', region: 2, area: 'YO' }, { name: 'Bradford', region: 2, area: 'BD' }, { name: 'Hull', region: 2, area: 'HU' },
  { name: 'Harrogate', region: 2, area: 'HG' }, { name: 'Nottingham', region: 3, area: 'NG' }, { name: 'Leicester', region: 3, area: 'LE' },
  { name: 'Derby', region: 3, area: 'DE' }, { name: 'Lincoln', region: 3, area: 'LN' }, { name: 'Northampton', region: 3, area: 'NN' },
  { name: 'Birmingham', region: 4, area: 'B' }, { name: 'Coventry', region: 4, area: 'CV' }, { name: 'Wolverhampton', region: 4, area: 'WV' },
  { name: 'Stoke-on-Trent', region: 4, area: 'ST' }, { name: 'Worcester', region: 4, area: 'WR' }, { name: 'Cambridge', region: 5, area: 'CB' },
  { name: 'Norwich', region: 5, area: 'NR' }, { name: 'Ipswich', region: 5, area: 'IP' }, { name: 'Peterborough', region: 5, area: 'PE' },
  { name: 'Colchester', region: 5, area: 'CO' }, { name: 'Luton', region: 5, area: 'LU' }, { name: 'Islington', region: 6, area: 'N' },
  { name: 'Croydon', region: 6, area: 'CR' }, { name: 'Ealing', region: 6, area: 'W' }, { name: 'Stratford', region: 6, area: 'E' },
  { name: 'Brixton', region: 6, area: 'SW' }, { name: 'Greenwich', region: 6, area: 'SE' }, { name: 'Brighton', region: 7, area: 'BN' },
  { name: 'Oxford', region: 7, area: 'OX' }, { name: 'Reading', region: 7, area: 'RG' }, { name: 'Southampton', region: 7, area: 'SO' },
  { name: 'Portsmouth', region: 7, area: 'PO' }, { name: 'Canterbury', region: 7, area: 'CT' }, { name: 'Guildford', region: 7, area: 'GU' },
  { name: 'Bristol', region: 8, area: 'BS' }, { name: 'Bath', region: 8, area: 'BA' }, { name: 'Exeter', region: 8, area: 'EX' },
  { name: 'Plymouth', region: 8, area: 'PL' }, { name: 'Gloucester', region: 8, area: 'GL' }, { name: 'Truro', region: 8, area: 'TR' },
  { name: 'Cardiff', region: 9, area: 'CF' }, { name: 'Swansea', region: 9, area: 'SA' }, { name: 'Newport', region: 9, area: 'NP' },
  { name: 'Wrexham', region: 9, area: 'LL' }, { name: 'Edinburgh', region: 10, area: 'EH' }, { name: 'Glasgow', region: 10, area: 'G' },
  { name: 'Aberdeen', region: 10, area: 'AB' }, { name: 'Dundee', region: 10, area: 'DD' }, { name: 'Inverness', region: 10, area: 'IV' },
  { name: 'Belfast', region: 11, area: 'BT' }, { name: 'Derry', region: 11, area: 'BT' },
];

/** Second and later stores in one town get one of these after the town's name. */
export const STORE_SUFFIXES = ['Central', 'Retail Park', 'High Street', 'Shopping Centre', 'Station', 'Market Square'];

export const FIRST_NAMES = [
  'Olivia', 'Amelia', 'Isla', 'Ava', 'Mia', 'Grace', 'Freya', 'Lily', 'Ella', 'Sophie', 'Evie', 'Ruby', 'Alice', 'Poppy',
  'Emily', 'Jessica', 'Charlotte', 'Sarah', 'Rebecca', 'Laura', 'Rachel', 'Emma', 'Katie', 'Lucy', 'Hannah', 'Megan',
  'Margaret', 'Susan', 'Patricia', 'Linda', 'Janet', 'Carol', 'Helen', 'Joan', 'Maureen', 'Brenda', 'Siobhan', 'Niamh',
  'Aisha', 'Priya', 'Fatima', 'Zara', 'Anjali', 'Mei', 'Agnieszka', 'Chiamaka', 'Ffion', 'Catriona', 'Eilidh', 'Bethan',
  'Noah', 'Oliver', 'George', 'Arthur', 'Leo', 'Harry', 'Oscar', 'Jack', 'Charlie', 'Jacob', 'Thomas', 'Henry', 'William',
  'Alfie', 'James', 'Daniel', 'Samuel', 'Owen', 'Joshua', 'Matthew', 'Luke', 'Ryan', 'Adam', 'Callum', 'Connor', 'Liam',
  'David', 'John', 'Michael', 'Peter', 'Robert', 'Stephen', 'Paul', 'Andrew', 'Kevin', 'Gary', 'Colin', 'Keith', 'Derek',
  'Mohammed', 'Yusuf', 'Ibrahim', 'Arjun', 'Rohan', 'Kwame', 'Tomasz', 'Piotr', 'Dylan', 'Rhys', 'Hamish', 'Ciaran',
];

export const LAST_NAMES = [
  'Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Wilson', 'Johnson', 'Davies', 'Patel', 'Robinson', 'Wright', 'Thompson',
  'Evans', 'Walker', 'White', 'Roberts', 'Green', 'Hall', 'Wood', 'Jackson', 'Clarke', 'Khan', 'Hughes', 'Ahmed', 'Lewis',
  'Harris', 'Martin', 'Cooper', 'King', 'Lee', 'Baker', 'Turner', 'Hill', 'Moore', 'Ward', 'Morris', 'Owen', 'Shaw',
  'Edwards', 'Wilkinson', 'Hussain', 'Campbell', 'Stewart', 'Murray', 'MacDonald', 'Scott', 'Reid', 'Kelly', 'Murphy',
  "O'Brien", "O'Neill", 'Doherty', 'Griffiths', 'Price', 'Rees', 'Morgan', 'Jenkins', 'Powell', 'Phillips', 'Begum', 'Ali',
  'Singh', 'Kaur', 'Shah', 'Chen', 'Wong', 'Nowak', 'Kowalski', 'Okafor', 'Mensah', 'Adeyemi', 'Fletcher', 'Barker',
  'Marshall', 'Chapman', 'Holmes', 'Palmer', 'Bennett', 'Mason', 'Webb', 'Rogers', 'Gray', 'Mills', 'Knight', 'Lloyd',
  'Butler', 'Russell', 'Fox', 'Dixon', 'Harvey', 'Pearson', 'Fisher', 'Hunt', 'Ellis', 'Graham', 'Foster', 'Gibson',
];

export const STREETS = [
  'High Street', 'Station Road', 'Church Lane', 'Park Avenue', 'Mill Road', 'Victoria Street', 'Queens Road', 'The Green',
  'Church Street', 'London Road', 'Main Street', 'Manor Road', 'School Lane', 'New Road', 'Kings Road', 'York Road',
  'Grange Road', 'The Crescent', 'Springfield Road', 'Chapel Street', 'Albert Road', 'Windsor Road', 'Highfield Road',
  'Orchard Close', 'Meadow Way', 'Elm Grove', 'Oak Drive', 'Beech Avenue', 'Willow Close', 'Castle Street', 'Market Place',
  'North Street', 'South Street', 'West Street', 'Bridge Street', 'Mount Pleasant', 'Alexandra Road', 'Stanley Road',
];

/** Reasons a customer asked for processing to be restricted (Art. 18(1)). */
export const RESTRICTION_REASONS = [
  'Customer contests the accuracy of their contact details (Art. 18(1)(a)); checking with them.',
  'Customer objected to processing; restriction while the objection is considered (Art. 18(1)(d)).',
  'Customer needs the records kept for a legal claim (Art. 18(1)(c)).',
  'Customer disputes the lawfulness of marketing processing (Art. 18(1)(b)).',
];

export const LIFT_REASONS = [
  'Contact details verified with the customer; restriction lifted.',
  'Objection considered and answered; customer informed before lifting.',
];
