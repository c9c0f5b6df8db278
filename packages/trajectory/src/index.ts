export { buildSteps } from './build-steps.ts';
export { compareImages, type ImageDifference } from './image-difference.ts';
export {
  type ReplayDivergence,
  type ReplayedCall,
  type ReplayOptions,
  type ReplayReport,
  replayTrajectory,
} from './replay.ts';
export { writeReplayReport } from './replay-report.ts';
export {
  maxArchiveBytes,
  readTrajectoryArchive,
  TrajectoryFormatError,
  writeTrajectoryArchive,
} from './trajectory-archive.ts';
export {
  type Trajectory,
  type TrajectoryCall,
  type TrajectoryManifest,
  type TrajectoryMessage,
  type TrajectoryStep,
  type TrajectoryTask,
  trajectoryManifestSchema,
} from './trajectory-format.ts';
