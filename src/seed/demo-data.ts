/**
 * Deterministic fake people and clinical findings for the demo seed (a seeded PRNG, so every
 * fresh database gets the same demo chain). Obviously fictitious: example.com addresses, 07700 900xxx
 * phone numbers (Ofcom's drama range).
 */

/** mulberry32: small, fast, seedable. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const FIRST_NAMES = [
  'Olivia', 'Amelia', 'Isla', 'Ava', 'Mia', 'Grace', 'Freya', 'Lily', 'Ella', 'Sophie', 'Evie', 'Ruby', 'Alice', 'Poppy',
  'Noah', 'Oliver', 'George', 'Arthur', 'Leo', 'Harry', 'Oscar', 'Jack', 'Charlie', 'Jacob', 'Thomas', 'Henry', 'William', 'Alfie',
  'Priya', 'Aisha', 'Mohammed', 'Yusuf', 'Zara', 'Kwame', 'Chloe', 'Daniel', 'Hannah', 'Samuel', 'Megan', 'Owen',
];
export const LAST_NAMES = [
  'Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Wilson', 'Johnson', 'Davies', 'Patel', 'Robinson', 'Wright', 'Thompson',
  'Evans', 'Walker', 'White', 'Roberts', 'Green', 'Hall', 'Wood', 'Jackson', 'Clarke', 'Khan', 'Hughes', 'Ahmed', 'Lewis',
  'Harris', 'Martin', 'Cooper', 'King', 'Lee', 'Baker', 'Turner', 'Hill', 'Moore', 'Ward', 'Morris', 'Owen', 'Shaw',
];
export const STREETS = ['High Street', 'Station Road', 'Church Lane', 'Park Avenue', 'Mill Road', 'Victoria Street', 'Queens Road', 'The Green'];

export function pick<T>(random: () => number, list: readonly T[]): T {
  return list[Math.floor(random() * list.length)];
}

export function quarterSteps(random: () => number, min: number, max: number): number {
  const steps = Math.round((max - min) / 0.25);
  return min + Math.floor(random() * (steps + 1)) * 0.25;
}

export function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}
