/*
 * The package model lives in @customs/model, shared with matcher, policy and report without their
 * runtime dependencies; analyzers keep importing it from here.
 */
export { PACKAGE_TYPES, OS_PACKAGE_TYPES } from '@customs/model';
export type { PackageType, Distro, SourcePackage, FoundPackage, Package, OwnedFiles } from '@customs/model';
