/** 1 point = 1 hour of net study time, rounded down to the nearest quarter point. */
export function pointsForMinutes(netStudyMinutes: number): number {
  return Math.floor((netStudyMinutes / 60) * 4) / 4;
}
