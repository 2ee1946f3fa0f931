import { acrReceiver } from './acr.js';
import { distributionReceiver } from './distribution.js';
import { dockerhubReceiver } from './dockerhub.js';
import { ecrReceiver } from './ecr.js';
import { githubReceiver } from './github.js';
import { harborReceiver } from './harbor.js';
import { quayReceiver } from './quay.js';
import type { Receiver } from './receiver.js';

/** Every registry Customs takes push events from, one route each. */
export const defaultReceivers: readonly Receiver[] = [
  distributionReceiver,
  harborReceiver,
  githubReceiver,
  dockerhubReceiver,
  quayReceiver,
  ecrReceiver,
  acrReceiver,
];
